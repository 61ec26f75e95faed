-- Claims that spread: claim groups (view claim_spread) carried by 2 or more outlets that gained at least
-- one article first seen in the week. A claim belongs to a group when metric family, place, unit and
-- direction are equal and its value lies in [min_value, max_value] (groups of a partition never overlap).
WITH touched AS (
    SELECT s.spread_id,
           count(DISTINCT c.item_id) AS articles_this_week,
           count(DISTINCT c.outlet)  AS outlets_this_week
    FROM claims_ledger c
    JOIN claim_spread s
      ON s.metric_family = c.metric_family AND s.place IS NOT DISTINCT FROM c.place
     AND s.unit IS NOT DISTINCT FROM c.unit AND s.direction IS NOT DISTINCT FROM c.direction
     AND c.value BETWEEN s.min_value AND s.max_value
    WHERE c.first_seen_at >= $week_start AND c.first_seen_at < $week_end
    GROUP BY s.spread_id
)
SELECT s.spread_id, s.metric_family, s.place, s.unit, s.direction, s.value, s.min_value, s.max_value, s.year,
       s.claims, s.articles, s.outlets, s.clusters AS stories, s.articles_without_claimant, s.claimants,
       s.first_outlet, s.first_url, s.first_claimant, s.first_appeared_at,
       t.articles_this_week, t.outlets_this_week,
       l.sentence AS first_sentence, l.title AS first_title
FROM claim_spread s
JOIN touched t ON t.spread_id = s.spread_id
LEFT JOIN claims_ledger l ON l.item_id = s.first_item_id AND l.claim_no = s.first_claim_no
WHERE s.outlets >= 2
ORDER BY s.outlets DESC, s.articles DESC, s.metric_family, s.place, s.value
