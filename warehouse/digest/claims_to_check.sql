-- Claims to check: unreviewed claims (view claims_to_review: no current verdict) that spread to 2+ outlets or
-- conflict with another figure (claim_conflicts), and gained an article first seen in the week. Ranked as in
-- claims_to_review (stories, outlets, conflicts, no claimant). Group membership as in spreading.sql.
WITH touched AS (
    SELECT t.claim_key,
           count(DISTINCT c.item_id) AS articles_this_week
    FROM claims_ledger c
    JOIN claims_to_review t
      ON t.metric_family = c.metric_family AND t.place IS NOT DISTINCT FROM c.place
     AND t.unit IS NOT DISTINCT FROM c.unit AND t.direction IS NOT DISTINCT FROM c.direction
     AND c.value BETWEEN t.min_value AND t.max_value
    WHERE c.first_seen_at >= $week_start AND c.first_seen_at < $week_end
    GROUP BY t.claim_key
)
SELECT t.priority, t.claim_key, t.metric_family, t.place, t.unit, t.direction, t.value, t.min_value, t.max_value,
       t.year, t.articles, t.outlets, t.clusters AS stories, t.conflicts, t.no_claimant,
       t.articles_without_claimant, t.claimants, t.first_claimant, t.first_outlet, t.first_url, t.first_appeared_at,
       w.articles_this_week, l.sentence AS first_sentence, l.title AS first_title
FROM claims_to_review t
JOIN touched w ON w.claim_key = t.claim_key
LEFT JOIN claims_ledger l ON l.item_id = t.first_item_id AND l.claim_no = t.first_claim_no
WHERE t.outlets >= 2 OR t.conflicts > 0
ORDER BY t.priority
