-- 004 (PostgreSQL; ported from sqlite/migrations/004-issue-notes.sql): the organizer's note for one issue.

CREATE TABLE issue_notes (
  list          TEXT NOT NULL,
  window_start  TEXT NOT NULL,              -- YYYY-MM-DD in the list zone: the issue's first day
  markdown      TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  PRIMARY KEY (list, window_start)
);
