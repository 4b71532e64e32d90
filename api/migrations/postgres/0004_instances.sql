-- Instances sharing this database: the territories each holds and when it was last heard
-- of, so that a job is claimed only where its territory is loaded, a submission for a
-- territory that no live instance holds is refused, and any instance can list them all.
-- `territories` is JSON: [{"id": "andorra-2021", "ready": true}, ...].
CREATE TABLE instances (
    id TEXT PRIMARY KEY NOT NULL,
    address TEXT NOT NULL,
    territories TEXT NOT NULL,
    workers BIGINT NOT NULL,
    started_at BIGINT NOT NULL,
    heartbeat_at BIGINT NOT NULL
);
-- The instance that solved a job stays recorded after the solve (the worker column is
-- cleared when a job ends).
ALTER TABLE jobs ADD COLUMN solved_by TEXT;
-- A plan's routes as GeoJSON, drawn by the instance that solved it, so that an instance
-- without the job's territory can export them.
ALTER TABLE jobs ADD COLUMN routes TEXT;
-- Queued jobs by territory, oldest first: a claim reads only the queue, never the finished
-- jobs that accumulate in the same table.
CREATE INDEX jobs_queued ON jobs (territory, created_at, id) WHERE status = 'queued';
