-- Step 1 (Spark): clean raw orders. Inline rows keep the example self-contained.
select 1 as order_id, 'emea' as region, 120.50 as amount
union all select 2, 'amer', 80.00
union all select 3, 'emea', 42.25
