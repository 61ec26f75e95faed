-- New quantitative claims: claims in articles first seen in the week (view claims_ledger), one row per
-- story cluster and figure (a syndicated copy repeating the claim counts once: the earliest copy is shown,
-- copies says how many articles of the cluster carry it). Order: one claim per article first (so the top
-- lines come from different articles), then claims naming a metric and a place, then by time.
WITH this_week AS (
    SELECT c.*,
           row_number() OVER same_claim AS copy_no,
           count(*) OVER (PARTITION BY c.cluster_id, c.metric_family, c.place, c.unit, c.direction, c.value) AS copies
    FROM claims_ledger c
    WHERE c.first_seen_at >= $week_start AND c.first_seen_at < $week_end
    WINDOW same_claim AS (PARTITION BY c.cluster_id, c.metric_family, c.place, c.unit, c.direction, c.value
                          ORDER BY c.first_seen_at, c.item_id, c.claim_no)
)
SELECT item_id, claim_no, value, unit, direction, metric, metric_family, place, year, claimant, hedged,
       sentence, article_url, outlet, title, first_seen_at, copies,
       row_number() OVER (PARTITION BY item_id ORDER BY metric IS NULL, place IS NULL, claim_no) AS rank_in_article
FROM this_week
WHERE copy_no = 1
ORDER BY rank_in_article, metric IS NULL, place IS NULL, first_seen_at, item_id, claim_no
