-- 005: the organizers' login sessions, and the
-- choices of web subscription requests. Sessions: the cookie holds a random id; only its SHA-256 is kept, so a
-- copy of the database opens no session; token_hash says which admin token opened it (a new token ends them).

CREATE TABLE admin_sessions (
  id_hash    TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL,
  client     TEXT NOT NULL,            -- the peer address and User-Agent at login, for the organizer to recognise
  issued_at  TEXT NOT NULL             -- ISO 8601 UTC, from the clock
) STRICT, WITHOUT ROWID;

-- Each web subscription request's choices (name, zone, kinds as JSON), kept until its confirmation link is
-- followed: a pending subscriber's choices change only through a confirmation, and each link applies the
-- choices made with it, not whatever a later request by anyone said. requested_at is the link's issue time
-- (whole seconds, as the signed link carries it).
CREATE TABLE subscription_requests (
  subscriber_id INTEGER NOT NULL REFERENCES subscribers (id),
  requested_at  TEXT NOT NULL,
  fields        TEXT NOT NULL CHECK (json_valid(fields)),
  PRIMARY KEY (subscriber_id, requested_at)
) STRICT, WITHOUT ROWID;
