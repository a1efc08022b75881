-- Step 2 (DuckDB): analytical metrics. In production it reads the staging output through the
-- shared catalog; here the rows are inline so that the step runs on its own.
with orders as (
    select 1 as order_id, 'emea' as region, 120.50 as amount
    union all select 2, 'amer', 80.00
    union all select 3, 'emea', 42.25
)
select region, count(*) as orders, sum(amount) as revenue
from orders
group by region
