-- Headline numbers of the week [$week_start, $week_end): articles first seen in it (items.first_seen_at),
-- their distinct outlets (articles.outlet) and independent stories (distinct articles.cluster_id:
-- syndicated near-duplicates count once), and the feed entries first seen in it (stored or not).
SELECT
    count(a.item_id)                   AS articles,
    count(DISTINCT a.outlet)           AS outlets,
    count(DISTINCT a.cluster_id)       AS stories,
    count(*)                           AS items
FROM items i
LEFT JOIN articles a ON a.item_id = i.item_id
WHERE i.first_seen_at >= $week_start AND i.first_seen_at < $week_end
