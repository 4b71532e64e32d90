-- Attendance: how many people came to each visit of a stop, entered by the team after the
-- visit. One row per visit (owner, territory, stop, date): a second record of the same visit
-- replaces the first. `plan_id` is the plan the visit belongs to, `unit` the unit that made
-- it (from that plan); `topic` is one of demarches, numerique, sante, autre, or NULL. No
-- personal data. Dates are YYYY-MM-DD; times milliseconds since the Unix epoch.
CREATE TABLE attendance (
    owner TEXT NOT NULL,
    territory TEXT NOT NULL,
    stop TEXT NOT NULL,
    visit_date TEXT NOT NULL,
    plan_id TEXT NOT NULL,
    unit TEXT NOT NULL,
    visitors BIGINT NOT NULL,
    topic TEXT,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (owner, territory, stop, visit_date)
);
CREATE INDEX attendance_by_date ON attendance (owner, territory, visit_date);
