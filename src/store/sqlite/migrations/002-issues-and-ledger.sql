-- 002: issues (one per list and window, unique so two senders find the same one), the send
-- ledger (one row per issue and subscriber) and the per-issue send lock.

CREATE TABLE issues (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  list         TEXT NOT NULL,
  window_start TEXT NOT NULL,            -- YYYY-MM-DD, first day, in the list zone
  window_end   TEXT NOT NULL,            -- YYYY-MM-DD, day after the last
  timezone     TEXT NOT NULL,
  subject      TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  UNIQUE (list, window_start)
) STRICT;

-- A row turns 'sent' only after the server's 250. 'sending' marks a message handed to the
-- transport; after a crash such rows are sent again (the documented duplicate window).
CREATE TABLE deliveries (
  issue_id      INTEGER NOT NULL REFERENCES issues (id),
  subscriber_id INTEGER NOT NULL REFERENCES subscribers (id),
  state         TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'skipped', 'deferred')),
  message_id    TEXT NOT NULL,
  attempts      INTEGER NOT NULL DEFAULT 0,
  last_reply    TEXT,
  updated_at    TEXT NOT NULL,
  sent_at       TEXT,
  PRIMARY KEY (issue_id, subscriber_id)
) STRICT, WITHOUT ROWID;

-- No index on state: every delivery changes state twice, and an index would double those writes;
-- the reads by state (unfinished rows, counts) scan one issue's rows once per run.

CREATE TABLE send_locks (
  issue_id     INTEGER PRIMARY KEY REFERENCES issues (id),
  holder       TEXT NOT NULL,            -- "pid 123 on host"
  pid          INTEGER NOT NULL,
  host         TEXT NOT NULL,
  token        TEXT NOT NULL,            -- random per holder, so only it can release or refresh
  acquired_at  TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL
) STRICT;
