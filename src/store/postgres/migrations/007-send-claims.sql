-- 007 (PostgreSQL only; SQLite's 007 is empty): several senders on one issue. A sender claims a batch of ledger
-- rows (claimed_by, claim_expires) and keeps the lease alive while it works; rows whose lease ran out (a dead
-- sender's) are claimed by the others. Lease times come from the server's clock (clock_timestamp()), never a
-- host's, so skewed clocks between sending hosts cannot shorten or stretch a lease.

ALTER TABLE deliveries
  ADD COLUMN claimed_by    TEXT,           -- the sender's token (senders.token); kept after the lease ends: who had it last
  ADD COLUMN claim_expires TIMESTAMPTZ;    -- NULL: free to claim

-- What the claim query walks: one issue's unfinished rows, by subscriber.
CREATE INDEX deliveries_unfinished ON deliveries (issue_id, subscriber_id) WHERE state IN ('queued', 'sending', 'deferred');

-- One row per sender run: `status` lists those alive (not finished, lease not run out).
CREATE TABLE senders (
  token        TEXT PRIMARY KEY,
  issue_id     INTEGER NOT NULL REFERENCES issues (id),
  holder       TEXT NOT NULL,              -- "pid 123 on host"
  started_at   TEXT NOT NULL,              -- ISO 8601, from the sender's clock (shown)
  heartbeat_at TEXT NOT NULL,
  expires_at   TIMESTAMPTZ NOT NULL,       -- from the server's clock: alive until then
  finished_at  TEXT,
  sent         INTEGER NOT NULL DEFAULT 0,
  failed       INTEGER NOT NULL DEFAULT 0,
  deferred     INTEGER NOT NULL DEFAULT 0,
  skipped      INTEGER NOT NULL DEFAULT 0
);
