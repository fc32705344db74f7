-- 003: the scheduler's memory (node-cron keeps none): one row per scheduled time it acted on,
-- the organizers' holds, and the review mails sent ahead of a run.

CREATE TABLE schedule_runs (
  list          TEXT NOT NULL,
  scheduled_for TEXT NOT NULL,            -- the cron time, ISO 8601 UTC
  window_start  TEXT NOT NULL,            -- YYYY-MM-DD in the list zone: the issue it sends
  -- sent, quiet (nothing scheduled), missed (past the grace period), expired (the window ended
  -- first) are final; incomplete (deferred or stopped), refused (check found errors) and held
  -- are tried again.
  state         TEXT NOT NULL CHECK (state IN ('sent', 'incomplete', 'refused', 'held', 'quiet', 'missed', 'expired')),
  detail        TEXT,
  sent          INTEGER NOT NULL DEFAULT 0,
  failed        INTEGER NOT NULL DEFAULT 0,
  deferred      INTEGER NOT NULL DEFAULT 0,
  skipped       INTEGER NOT NULL DEFAULT 0,
  attempts      INTEGER NOT NULL DEFAULT 0,
  first_at      TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  PRIMARY KEY (list, scheduled_for)
) STRICT, WITHOUT ROWID;

CREATE TABLE holds (
  list          TEXT NOT NULL,
  window_start  TEXT NOT NULL,
  held_at       TEXT NOT NULL,
  released_at   TEXT,
  PRIMARY KEY (list, window_start)
) STRICT, WITHOUT ROWID;

CREATE TABLE schedule_reviews (
  list          TEXT NOT NULL,
  scheduled_for TEXT NOT NULL,
  sent_at       TEXT NOT NULL,
  PRIMARY KEY (list, scheduled_for)
) STRICT, WITHOUT ROWID;
