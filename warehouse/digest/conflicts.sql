-- Conflicting figures: pairs of claim groups (view claim_conflicts: same metric family, place and unit,
-- figures beyond claim_tolerance or opposite directions) where either side gained an article first seen
-- in the week (group membership as in spreading.sql).
WITH touched AS (
    SELECT DISTINCT s.spread_id
    FROM claims_ledger c
    JOIN claim_spread s
      ON s.metric_family = c.metric_family AND s.place IS NOT DISTINCT FROM c.place
     AND s.unit IS NOT DISTINCT FROM c.unit AND s.direction IS NOT DISTINCT FROM c.direction
     AND c.value BETWEEN s.min_value AND s.max_value
    WHERE c.first_seen_at >= $week_start AND c.first_seen_at < $week_end
)
SELECT k.metric_family, k.place, k.unit, k.conflict, k.year,
       k.a_direction, k.a_value, k.a_outlet, k.a_url, k.a_claimant, k.a_articles, k.a_first_appeared_at,
       k.b_direction, k.b_value, k.b_outlet, k.b_url, k.b_claimant, k.b_articles, k.b_first_appeared_at,
       k.difference, k.relative_difference
FROM claim_conflicts k
WHERE k.a_spread_id IN (SELECT spread_id FROM touched) OR k.b_spread_id IN (SELECT spread_id FROM touched)
ORDER BY abs(k.relative_difference) DESC NULLS LAST, k.metric_family, k.place, k.a_value, k.b_value
