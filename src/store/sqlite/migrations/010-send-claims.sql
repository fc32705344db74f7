-- 010 (SQLite): nothing. Several senders sharing one issue's ledger (claims with leases, the senders table) are
-- PostgreSQL's (postgres/migrations/010-send-claims.sql); on SQLite one sender holds the issue's send lock.
-- Kept so both dialects number their migrations alike.
SELECT 1;
