-- Version 2: access control. API tokens (kd_ID_SECRET; only the SHA-256 of the secret is kept;
-- scope is a role word, never above the user's role) and the audit log of logins, token and user
-- changes and console actions.
CREATE TABLE api_tokens (id TEXT PRIMARY KEY, user TEXT NOT NULL, name TEXT NOT NULL, scope TEXT NOT NULL, created TEXT NOT NULL, expires TEXT, revoked TEXT, last_used TEXT, secret_sha256 BLOB NOT NULL);
CREATE INDEX api_tokens_user ON api_tokens (user);
CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, via TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, origin TEXT NOT NULL, detail TEXT NOT NULL);
