-- Version 3: fleet and baseline scans shared by several instances (docs/scale.md, "Shared scans").
-- One row per host of a named scan (job 'baseline': each host's scan after its install callback);
-- an instance takes a row once it is due by setting owner and lease_until (milliseconds since the
-- epoch), renews the lease while it works, and sets finished with the outcome (or a later due, to
-- try again until give_up). A row whose lease ran out is taken again by another instance.
CREATE TABLE scan_jobs (job TEXT NOT NULL, host TEXT NOT NULL, created INTEGER NOT NULL, due INTEGER, give_up INTEGER, owner TEXT, lease_until INTEGER, attempts INTEGER NOT NULL DEFAULT 0, finished INTEGER, way TEXT, findings INTEGER, millis INTEGER, commit_id TEXT, summary TEXT, error TEXT, warnings TEXT, PRIMARY KEY (job, host));
