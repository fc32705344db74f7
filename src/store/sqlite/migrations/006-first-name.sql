-- 006: a subscriber's first name, for the greeting ("Hi Ann,"), when an import gives one apart
-- from the full name (a "First Name" column). NULL: the greeting uses the name.

ALTER TABLE subscribers ADD COLUMN first_name TEXT;
