-- False claims that came back: claims with a contradicted or misleading current verdict repeated by an article
-- first seen in the week and after the verdict (view returning_claims), with the verdict's evidence. One row
-- per claim and story cluster (a syndicated copy counts once: the earliest copy is shown).
SELECT claim_key, verdict, evidence_url, reviewer, note, reviewed_at, metric_family, place, unit, direction,
       reviewed_value, value, sentence, claimant, hedged, article_url, outlet, title, published_at, first_seen_at,
       count(*) OVER (PARTITION BY claim_key, cluster_id) AS copies
FROM returning_claims
WHERE first_seen_at >= $week_start AND first_seen_at < $week_end
QUALIFY row_number() OVER (PARTITION BY claim_key, cluster_id ORDER BY first_seen_at, item_id, claim_no) = 1
ORDER BY verdict, reviewed_at, claim_key, first_seen_at, item_id
