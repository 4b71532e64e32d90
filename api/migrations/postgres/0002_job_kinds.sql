-- Coverage runs are jobs too: each job says what it computes; its request column holds a
-- planning problem or a coverage request, and its result column a plan or a coverage answer,
-- accordingly. Existing jobs are plans.
ALTER TABLE jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'plan';
ALTER TABLE jobs RENAME COLUMN problem TO request;
ALTER TABLE jobs RENAME COLUMN plan TO result;
DROP INDEX jobs_owner;
CREATE INDEX jobs_owner ON jobs (owner, kind, created_at, id);
