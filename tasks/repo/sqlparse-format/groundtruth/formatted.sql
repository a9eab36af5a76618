SELECT c.id,
       c.name,
       sum(o.total) AS revenue,
       count(DISTINCT o.id) AS orders
FROM customers c
JOIN orders o ON o.customer_id = c.id
LEFT JOIN refunds r ON r.order_id = o.id
WHERE o.created_at >= '2024-01-01'
  AND o.created_at < '2024-02-01'
  AND r.id IS NULL
GROUP BY c.id,
         c.name
HAVING sum(o.total) > 1000
ORDER BY revenue DESC
LIMIT 20;


INSERT INTO sessions_archive (id, user_id, started_at)
SELECT id,
       user_id,
       started_at
FROM sessions
WHERE started_at < now() - interval '90 days';


UPDATE accounts
SET status = 'dormant',
    updated_at = now()
WHERE last_login < '2023-06-30'
  AND status = 'active';


DELETE
FROM sessions
WHERE started_at < now() - interval '90 days';


CREATE TABLE IF NOT EXISTS daily_totals (DAY date PRIMARY KEY,
                                                  revenue numeric(12, 2) NOT NULL,
                                                                         orders integer NOT NULL DEFAULT 0);


SELECT p.sku,
       p.title,

  (SELECT max(o.created_at)
   FROM order_items oi
   JOIN orders o ON o.id = oi.order_id
   WHERE oi.product_id = p.id) AS last_sold
FROM products p
WHERE p.discontinued = FALSE
  AND p.id IN
    (SELECT product_id
     FROM stock
     WHERE quantity < 5)
ORDER BY p.sku;
