-- 007: privacy. Each subscriber's status history (kept by triggers, so every path that changes a status
-- records it); the suppressions of forgotten addresses, as a keyed hash only; tallies of ledger rows whose
-- link to a person was erased (forgotten, or past the retention), so an issue's counts stay; the organizers'
-- audit trail.

CREATE TABLE subscriber_history (
  subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  at            TEXT NOT NULL,           -- ISO 8601 UTC, from the clock (the row's updated_at)
  status        TEXT NOT NULL
) STRICT;
CREATE INDEX subscriber_history_by_subscriber ON subscriber_history (subscriber_id, at);

CREATE TRIGGER subscriber_history_created AFTER INSERT ON subscribers
BEGIN
  INSERT INTO subscriber_history (subscriber_id, at, status) VALUES (NEW.id, NEW.created_at, NEW.status);
END;

CREATE TRIGGER subscriber_history_status AFTER UPDATE OF status ON subscribers WHEN NEW.status IS NOT OLD.status
BEGIN
  INSERT INTO subscriber_history (subscriber_id, at, status) VALUES (NEW.id, NEW.updated_at, NEW.status);
END;

-- The subscribers already there: their status as of their last change (the earlier steps were not kept).
INSERT INTO subscriber_history (subscriber_id, at, status) SELECT id, updated_at, status FROM subscribers;

-- HMAC-SHA256 of the address under meta's suppression_secret: enough to recognise it, not to read it back.
CREATE TABLE suppressions (
  address_hash TEXT PRIMARY KEY,
  created_at   TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- reason 'pruned' also closes the issue: a rerun must not queue people whose rows were pruned.
CREATE TABLE delivery_tallies (
  issue_id INTEGER NOT NULL REFERENCES issues (id),
  state    TEXT NOT NULL,
  reason   TEXT NOT NULL CHECK (reason IN ('forgotten', 'pruned')),
  n        INTEGER NOT NULL,
  PRIMARY KEY (issue_id, state, reason)
) STRICT, WITHOUT ROWID;

CREATE TABLE admin_audit (
  id     INTEGER PRIMARY KEY AUTOINCREMENT,
  at     TEXT NOT NULL,                  -- ISO 8601 UTC, from the clock
  action TEXT NOT NULL,                  -- 'test-send', 'hold', 'release', 'forget', 'corrections', …
  detail TEXT NOT NULL,                  -- the issue date, or a subscriber id: never an address
  client TEXT NOT NULL                   -- 'cli user@host', or the peer address and User-Agent
) STRICT;
CREATE INDEX admin_audit_by_time ON admin_audit (at);
