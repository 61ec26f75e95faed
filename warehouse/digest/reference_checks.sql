-- Claims that disagree with reference_stats: claims in articles first seen in the week whose check
-- (view claim_checks) is inconsistent, with the reference figure, its period and source; one row per
-- story cluster and figure (syndicated copies count once), largest relative difference first.
WITH this_week AS (
    SELECT k.*, l.sentence, l.title, l.first_seen_at, l.cluster_id,
           row_number() OVER (PARTITION BY l.cluster_id, k.metric_family, k.place, k.unit, k.direction, k.value
                              ORDER BY l.first_seen_at, k.item_id, k.claim_no) AS copy_no
    FROM claim_checks k
    JOIN claims_ledger l ON l.item_id = k.item_id AND l.claim_no = k.claim_no
    WHERE k.status = 'inconsistent' AND l.first_seen_at >= $week_start AND l.first_seen_at < $week_end
)
SELECT item_id, claim_no, metric, metric_family, place, unit, direction, value, year, claimant, outlet,
       article_url, title, sentence, reference_metric, reference_period, reference_value,
       reference_source_url, year_match, difference, relative_difference
FROM this_week
WHERE copy_no = 1
ORDER BY abs(relative_difference) DESC NULLS LAST, metric_family, place, item_id, claim_no
