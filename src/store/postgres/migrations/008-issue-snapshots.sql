-- 008 (PostgreSQL; ported from sqlite/migrations/008-issue-snapshots.sql): issues as sent (an immutable
-- snapshot of what each issue listed), the kinds each reader's copy carried, so "whose copy listed it" is
-- answerable later (corrections). "end" is quoted: a reserved word in PostgreSQL. Milliseconds are BIGINT
-- (past INTEGER's range), read back as numbers by the repository.

-- One per issue, written once before its first message (INSERT … ON CONFLICT DO NOTHING, never updated).
CREATE TABLE issue_snapshots (
  issue_id      INTEGER PRIMARY KEY REFERENCES issues (id),
  taken_at      TEXT NOT NULL,
  compared_with TEXT,                    -- window start of the issue its change badges were computed against
  events        TEXT NOT NULL CHECK (jsonb_typeof(events::jsonb) = 'array'),        -- the listed events as loaded
  calendar_ids  TEXT NOT NULL CHECK (jsonb_typeof(calendar_ids::jsonb) = 'array')   -- every event id in the calendar then
);

-- Per occurrence the issue listed (all kinds), and the cancelled ones it announced.
CREATE TABLE issue_snapshot_items (
  issue_id      INTEGER NOT NULL REFERENCES issue_snapshots (issue_id),
  key           TEXT COLLATE "C" NOT NULL, -- event id | original start of the instance (RECURRENCE-ID), '' for one-offs
  event_id      TEXT NOT NULL,
  recurrence_id TEXT,
  kind          TEXT NOT NULL,
  title         TEXT COLLATE "C" NOT NULL,
  all_day       INTEGER NOT NULL,
  start         TEXT NOT NULL,           -- ISO 8601 with offset, or a date for all-day
  "end"         TEXT NOT NULL,
  start_ms      BIGINT NOT NULL,
  end_ms        BIGINT NOT NULL,
  timezone      TEXT NOT NULL,
  location      TEXT,                    -- one line, street included, as the reader was told it
  public_location TEXT,                  -- a private place: what the public archive shows instead (else NULL)
  status        TEXT NOT NULL,
  links         TEXT NOT NULL CHECK (jsonb_typeof(links::jsonb) = 'array'),  -- [{label, url, private?}]
  change        TEXT CHECK (change IN ('new', 'changed', 'cancelled')),
  was           TEXT CHECK (was IS NULL OR was::jsonb IS NOT NULL),  -- the differing fields, for 'changed'
  was_public_location TEXT,              -- the old place was private: its public form (else NULL)
  PRIMARY KEY (issue_id, key)
);

-- The kinds of the reader's copy (JSON, [] = every kind), recorded with 'sending' from the very recipient
-- the message was built for; NULL on rows from before this migration.
ALTER TABLE deliveries ADD COLUMN reader_kinds TEXT;
