-- Version 1 on PostgreSQL: the tables of SQLite's version 1, column for column (times as ISO-8601
-- text, so that both databases give back the exact Instant; booleans as 0/1), so that one
-- JdbcStateStore speaks to both and `state migrate` copies rows as they are. No meta table: that
-- one recorded the schema of SQLite databases made before migrations.
CREATE TABLE hosts (name TEXT PRIMARY KEY, netboot INTEGER NOT NULL, inventory_netboot INTEGER NOT NULL, updated TEXT NOT NULL, installed TEXT, install_id TEXT, install_issued TEXT, install_expires TEXT);
CREATE TABLE events (id BIGSERIAL PRIMARY KEY, at TEXT NOT NULL, host TEXT, kind TEXT NOT NULL, detail TEXT NOT NULL);
CREATE INDEX events_host ON events (host, id);
CREATE TABLE leases (ip TEXT PRIMARY KEY, mac TEXT NOT NULL, expires BIGINT NOT NULL);
CREATE INDEX leases_mac ON leases (mac);
