-- 005 (PostgreSQL; ported from sqlite/migrations/005-sessions-and-requests.sql): the organizers' login
-- sessions (only the SHA-256 of the cookie's id) and the choices of web subscription requests.

CREATE TABLE admin_sessions (
  id_hash    TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL,
  client     TEXT NOT NULL,
  issued_at  TEXT COLLATE "C" NOT NULL       -- ISO 8601 UTC, from the clock
);

CREATE TABLE subscription_requests (
  subscriber_id INTEGER NOT NULL REFERENCES subscribers (id),
  requested_at  TEXT COLLATE "C" NOT NULL,
  fields        TEXT NOT NULL CHECK (fields::jsonb IS NOT NULL),
  PRIMARY KEY (subscriber_id, requested_at)
);
