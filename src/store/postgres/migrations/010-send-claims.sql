-- 010 (PostgreSQL only; SQLite's 010 is empty): several senders on one issue. A sender claims a batch of ledger
-- rows (claimed_by: its token); the claim holds while the sender's row in `senders` lives: not finished, and its
-- lease (expires_at, renewed by the sender's heartbeat) not run out. A dead sender's rows are then claimed by the
-- others. Leases live on the sender's one row, not on each claimed row, so renewing one never waits on (or
-- deadlocks with) the ledger writes; lease times come from the server's clock, so skewed host clocks change nothing.

ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;   -- the sender's token (senders.token); kept after it ends: who had the row last

-- What the claim query walks: one issue's unfinished rows, by subscriber.
CREATE INDEX deliveries_unfinished ON deliveries (issue_id, subscriber_id) WHERE state IN ('queued', 'sending', 'deferred');

-- One row per sender run: `status` lists those alive (not finished, lease not run out).
CREATE TABLE senders (
  token        TEXT PRIMARY KEY,
  issue_id     INTEGER NOT NULL REFERENCES issues (id),
  holder       TEXT NOT NULL,              -- "pid 123 on host"
  started_at   TEXT NOT NULL,              -- ISO 8601, from the sender's clock (shown)
  heartbeat_at TEXT NOT NULL,
  expires_at   TIMESTAMPTZ NOT NULL,       -- from the server's clock: its claims hold until then
  finished_at  TEXT,
  sent         INTEGER NOT NULL DEFAULT 0,
  failed       INTEGER NOT NULL DEFAULT 0,
  deferred     INTEGER NOT NULL DEFAULT 0,
  skipped      INTEGER NOT NULL DEFAULT 0
);
