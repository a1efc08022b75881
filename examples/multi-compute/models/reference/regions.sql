-- Step 3 (platform default, DuckDB): small reference data.
select 'emea' as region, 'Europe, Middle East and Africa' as name
union all select 'amer', 'Americas'
