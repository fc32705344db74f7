-- 006 (PostgreSQL; ported from sqlite/migrations/006-first-name.sql): a subscriber's first name, for the greeting.

ALTER TABLE subscribers ADD COLUMN first_name TEXT;
