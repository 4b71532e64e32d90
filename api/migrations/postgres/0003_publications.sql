-- Public timetables: a finished plan shown to everyone at /p/{token}. The token is random (not
-- derived from the plan id); one address per owner and territory, which a new plan may take
-- over so that posters stay valid. Revoking deletes the row. Times are milliseconds since the
-- Unix epoch; dates are YYYY-MM-DD.
CREATE TABLE publications (
    token TEXT PRIMARY KEY NOT NULL,
    owner TEXT NOT NULL,
    territory TEXT NOT NULL,
    plan_id TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    description TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX publications_territory ON publications (owner, territory);
