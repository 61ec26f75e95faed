-- Vendors most written about in the last 4 ISO weeks (this week and the 3 before, by first_seen_at): independent stories, articles, outlets, countries.
SELECT
    m.entity                                  AS vendor,
    count(DISTINCT a.cluster_id)              AS stories,
    count(DISTINCT m.item_id)                 AS articles,
    count(DISTINCT a.outlet)                  AS outlets,
    list_sort(list_distinct(list(c.entity)))  AS countries
FROM mentions m
JOIN items i ON i.item_id = m.item_id
JOIN articles a ON a.item_id = m.item_id
LEFT JOIN mentions c ON c.item_id = m.item_id AND c.entity_type = 'country'
WHERE m.entity_type = 'vendor'
  AND i.first_seen_at >= date_trunc('week', CAST(now() AS TIMESTAMP)) - INTERVAL 21 DAY
GROUP BY m.entity
ORDER BY stories DESC, articles DESC, vendor
LIMIT 50
