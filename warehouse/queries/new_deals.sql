-- Deals asserted by articles first seen in the last 14 days, flagging vendor-country pairs never linked by a deal before.
WITH recent AS (
    SELECT d.*, i.first_seen_at, a.outlet, a.url
    FROM deals d
    JOIN items i ON i.item_id = d.item_id
    JOIN articles a ON a.item_id = d.item_id
    WHERE i.first_seen_at >= CAST(now() AS TIMESTAMP) - INTERVAL 14 DAY
),
earlier AS (
    SELECT DISTINCT d.vendor, d.country
    FROM deals d JOIN items i ON i.item_id = d.item_id
    WHERE i.first_seen_at < CAST(now() AS TIMESTAMP) - INTERVAL 14 DAY
)
SELECT r.first_seen_at, r.vendor, r.country, r.kind, r.technology, r.year,
       e.vendor IS NULL AS first_deal_for_pair, r.outlet, r.url, r.evidence
FROM recent r
LEFT JOIN earlier e ON e.vendor = r.vendor AND e.country = r.country
ORDER BY r.first_seen_at DESC, r.vendor, r.country, r.kind
