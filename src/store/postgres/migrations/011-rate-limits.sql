-- 011: the web app's rate limits, shared by every `serve` process on the database (two behind one address count
-- as one). A fixed window per (bucket, key): `hits` requests since `window_start`. Keys are hashes (a client
-- address, a subscriber address), never the value; rows past their window are deleted as others are counted.
CREATE TABLE rate_limits (
  bucket       TEXT NOT NULL,      -- which limit: form posts, logins, one-click unsubscribes, mails per address
  key_hash     TEXT NOT NULL,
  window_start BIGINT NOT NULL,    -- milliseconds since the epoch, from the web app's clock
  hits         INTEGER NOT NULL,
  PRIMARY KEY (bucket, key_hash)
);
CREATE INDEX rate_limits_window ON rate_limits (bucket, window_start);
