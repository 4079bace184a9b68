-- A worker that cannot serve (its offline voice is not installed) registers as not ready, with the reason and the
-- command that fixes it: it shows in the fleet view but is never reserved. Rows from older workers are ready.
ALTER TABLE workers ADD COLUMN ready INTEGER NOT NULL DEFAULT 1;
ALTER TABLE workers ADD COLUMN not_ready_reason TEXT NULL;
ALTER TABLE workers ADD COLUMN not_ready_fix TEXT NULL;
