-- Version 2 on PostgreSQL: access control, as SQLite's version 2 ("user" is a reserved word here).
CREATE TABLE api_tokens (id TEXT PRIMARY KEY, "user" TEXT NOT NULL, name TEXT NOT NULL, scope TEXT NOT NULL, created TEXT NOT NULL, expires TEXT, revoked TEXT, last_used TEXT, secret_sha256 BYTEA NOT NULL);
CREATE INDEX api_tokens_user ON api_tokens ("user");
CREATE TABLE audit (id BIGSERIAL PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, via TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, origin TEXT NOT NULL, detail TEXT NOT NULL);
