-- 004 (to be 006 on main, after 004 and 005 of other branches): the organizers' login sessions. The cookie
-- holds a random id; only its SHA-256 is kept, so a copy of the database opens no session. token_hash says
-- which admin token opened it: a changed token ends every session. Expiry is checked on the server.

CREATE TABLE admin_sessions (
  id_hash    TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL,
  client     TEXT NOT NULL,            -- the peer address and User-Agent at login, for the organizer to recognise
  issued_at  TEXT NOT NULL             -- ISO 8601 UTC, from the clock
) STRICT, WITHOUT ROWID;
