-- 009 (PostgreSQL; ported from sqlite/migrations/009-subscriber-places.sql): where a reader is and how far
-- they will go (issue 11). The place is stored as resolved by the gazetteer (a town's name and its
-- coordinates), never as the text typed nor a street address. All NULL: no place (the reader gets every
-- event); radius NULL: the list's `radius`. SQLite's REAL is double precision here.

ALTER TABLE subscribers ADD COLUMN place_name TEXT;
ALTER TABLE subscribers ADD COLUMN place_lat DOUBLE PRECISION CHECK (place_lat IS NULL OR place_lat BETWEEN -90 AND 90);
ALTER TABLE subscribers ADD COLUMN place_lon DOUBLE PRECISION CHECK (place_lon IS NULL OR place_lon BETWEEN -180 AND 180);
ALTER TABLE subscribers ADD COLUMN radius INTEGER CHECK (radius IS NULL OR radius > 0);

-- The place of the copy handed over (JSON {lat, lon, radius}, radius null: the list's), recorded with 'sending'
-- beside reader_kinds: a correction reaches only readers whose copy listed the event. NULL: no place, every event.
ALTER TABLE deliveries ADD COLUMN reader_place TEXT;
