-- schema migration 0042: loyalty programme
BEGIN;

CREATE TABLE loyalty_tiers (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE,   -- e.g. 'gold; platinum'
    min_points integer NOT NULL
);

insert into loyalty_tiers (name, min_points) values ('bronze', 0), ('silver', 500), ('gold; the good one', 2000);

ALTER TABLE customers ADD COLUMN tier_id integer REFERENCES loyalty_tiers (id);

/* backfill: everybody starts in bronze;
   silver and gold are assigned by the nightly job */
UPDATE customers SET tier_id = (SELECT id FROM loyalty_tiers WHERE name = 'bronze');

WITH ranked AS (
    SELECT customer_id, sum(total) AS spent FROM orders GROUP BY customer_id
)
SELECT c.id, r.spent FROM customers c JOIN ranked r ON r.customer_id = c.id WHERE r.spent > 2000;

CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE INDEX customers_tier_idx ON customers (tier_id);
DELETE FROM loyalty_tiers WHERE name = 'legacy';
GRANT SELECT ON loyalty_tiers TO reporting;
DROP TABLE IF EXISTS old_rewards;
select 'it''s done; really' as message;
COMMIT;
