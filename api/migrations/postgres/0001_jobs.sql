-- Planning jobs: the submitted problem, its state, progress and result.
-- Times are milliseconds since the Unix epoch; documents are JSON text.
CREATE TABLE jobs (
    id TEXT PRIMARY KEY NOT NULL,
    owner TEXT NOT NULL,
    status TEXT NOT NULL,
    territory TEXT,
    problem TEXT NOT NULL,
    time_limit_s DOUBLE PRECISION NOT NULL,
    progress TEXT,
    plan TEXT,
    error TEXT,
    attempts BIGINT NOT NULL DEFAULT 0,
    worker TEXT,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT,
    heartbeat_at BIGINT
);
CREATE INDEX jobs_queue ON jobs (status, created_at, id);
CREATE INDEX jobs_owner ON jobs (owner, created_at, id);
