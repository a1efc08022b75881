select * from (values
    (1, 'emea', date '2026-11-30', 40.50),
    (2, 'emea', date '2026-11-30', 122.25),
    (3, 'amer', date '2026-12-01', 80.00)
) as orders(order_id, region, ordered_on, amount)
