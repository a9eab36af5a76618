-- monthly revenue report, written in a hurry
select c.id, c.name, sum(o.total) as revenue, count(distinct o.id) as orders from customers c join orders o on o.customer_id = c.id left join refunds r on r.order_id = o.id where o.created_at >= '2024-01-01' and o.created_at < '2024-02-01' and r.id is null group by c.id, c.name having sum(o.total) > 1000 order by revenue desc limit 20;
/* archive old sessions */
insert into sessions_archive (id, user_id, started_at) select id, user_id, started_at from sessions where started_at < now() - interval '90 days';
update accounts set status = 'dormant', updated_at = now() where last_login < '2023-06-30' and status = 'active';
delete from sessions where started_at < now() - interval '90 days';
create table if not exists daily_totals (day date primary key, revenue numeric(12, 2) not null, orders integer not null default 0);
select p.sku, p.title, (select max(o.created_at) from order_items oi join orders o on o.id = oi.order_id where oi.product_id = p.id) as last_sold from products p where p.discontinued = false and p.id in (select product_id from stock where quantity < 5) order by p.sku;
