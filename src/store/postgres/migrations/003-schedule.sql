-- 003 (PostgreSQL; ported from sqlite/migrations/003-schedule.sql): the scheduler's runs, the organizers'
-- holds, and the review mails sent ahead of a run.

CREATE TABLE schedule_runs (
  list          TEXT NOT NULL,
  scheduled_for TEXT COLLATE "C" NOT NULL,  -- the cron time, ISO 8601 UTC
  window_start  TEXT NOT NULL,              -- YYYY-MM-DD in the list zone: the issue it sends
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
);

CREATE TABLE holds (
  list          TEXT NOT NULL,
  window_start  TEXT COLLATE "C" NOT NULL,
  held_at       TEXT NOT NULL,
  released_at   TEXT,
  PRIMARY KEY (list, window_start)
);

CREATE TABLE schedule_reviews (
  list          TEXT NOT NULL,
  scheduled_for TEXT NOT NULL,
  sent_at       TEXT NOT NULL,
  PRIMARY KEY (list, scheduled_for)
);
