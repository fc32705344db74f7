-- 001: the subscriber list (suppressions stay in it) and a small key/value table for the store itself.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

-- AUTOINCREMENT so an id is never reused: signed links carry the id, and an old link must
-- never come to mean a different person.
CREATE TABLE subscribers (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  email           TEXT NOT NULL,
  email_key       TEXT NOT NULL UNIQUE,
  name            TEXT,
  timezone        TEXT NOT NULL,
  kinds           TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(kinds) AND json_type(kinds) = 'array'),
  status          TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced', 'complained')),
  source          TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  confirmed_at    TEXT,
  unsubscribed_at TEXT
) STRICT;

CREATE INDEX subscribers_by_status ON subscribers (status, email_key);
