-- Version 1: the state database exactly as the release before migrations (main at 8b60dab) made
-- it, statement for statement: SqliteStateStore's tables (its own schema 2, which meta still
-- records for releases that read it) and SqliteLeaseStore's table. A database of that release
-- has no history table: StateSchema runs these same statements on it (they only make what is
-- missing: that release made the lease table when DHCP first ran), checks that its tables are
-- these, column for column, and baselines it at version 1.
CREATE TABLE IF NOT EXISTS hosts (name TEXT PRIMARY KEY, netboot INTEGER NOT NULL, inventory_netboot INTEGER NOT NULL, updated TEXT NOT NULL, installed TEXT, install_id TEXT, install_issued TEXT, install_expires TEXT);
CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, host TEXT, kind TEXT NOT NULL, detail TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_host ON events (host, id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO meta VALUES ('schema', '2');
CREATE TABLE IF NOT EXISTS leases (ip TEXT PRIMARY KEY, mac TEXT NOT NULL, expires INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS leases_mac ON leases (mac);
