-- Version 3 on PostgreSQL: fleet and baseline scans shared by several instances, as SQLite's version 3. Rows are
-- taken with FOR UPDATE SKIP LOCKED, so instances never wait for each other's rows.
CREATE TABLE scan_jobs (job TEXT NOT NULL, host TEXT NOT NULL, created BIGINT NOT NULL, due BIGINT, give_up BIGINT, owner TEXT, lease_until BIGINT, attempts INTEGER NOT NULL DEFAULT 0, finished BIGINT, way TEXT, findings INTEGER, millis BIGINT, commit_id TEXT, summary TEXT, error TEXT, warnings TEXT, PRIMARY KEY (job, host));
