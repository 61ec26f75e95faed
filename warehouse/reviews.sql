-- Named statements of warehouse/reviews.py (claim review, migration 007). Parameters are named ($key …).

-- name: review_current
-- The current verdict of a key (NULL row set when the key was never reviewed).
SELECT * FROM claim_review_current WHERE claim_key = $key;

-- name: review_group
-- The claim group a key names now: the group its verdict covers, or the unreviewed group with that key.
SELECT * FROM claim_spread WHERE claim_key = $key
ORDER BY articles DESC, spread_id
LIMIT 1;

-- name: review_group_first_sentence
SELECT sentence, title FROM claims_ledger WHERE item_id = $item_id AND claim_no = $claim_no;

-- name: review_list
-- Unreviewed claims, most urgent first (view claims_to_review), with the sentence of the first appearance.
SELECT t.*, l.sentence AS first_sentence, l.title AS first_title
FROM claims_to_review t
LEFT JOIN claims_ledger l ON l.item_id = t.first_item_id AND l.claim_no = t.first_claim_no
ORDER BY t.priority
LIMIT $limit;

-- name: review_articles
-- Every article repeating a claim: claims covered by the key's verdict, or in the claim group [min, max],
-- oldest appearance first.
SELECT c.item_id, c.claim_no, c.value, c.unit, c.direction, c.metric, c.claimant, c.hedged, c.sentence,
       c.article_url, c.outlet, c.title, c.published_at, c.first_seen_at, c.verdict_key, c.verdict
FROM claims_ledger c
WHERE c.metric_family = $metric_family AND c.place IS NOT DISTINCT FROM $place
  AND c.unit IS NOT DISTINCT FROM $unit AND c.direction IS NOT DISTINCT FROM $direction
  AND (c.verdict_key = $key OR (c.verdict_key IS NULL AND c.value BETWEEN $min_value AND $max_value))
ORDER BY coalesce(c.published_at, c.first_seen_at), c.item_id, c.claim_no;

-- name: review_history
SELECT review_id, verdict, evidence_url, reviewer, note, reviewed_at, value
FROM claim_reviews WHERE claim_key = $key
ORDER BY reviewed_at DESC, review_id DESC;

-- name: review_insert
INSERT INTO claim_reviews (review_id, claim_key, metric_family, place, unit, direction, value, verdict, evidence_url, reviewer,
                           note, reviewed_at, claim_text, first_claimant, first_url, first_outlet, first_appeared_at,
                           articles_at_review)
VALUES ((SELECT coalesce(max(review_id), 0) + 1 FROM claim_reviews), $key, $metric_family, $place, $unit, $direction, $value, $verdict, $evidence_url, $reviewer, $note,
        $reviewed_at, $claim_text, $first_claimant, $first_url, $first_outlet, $first_appeared_at, $articles)
RETURNING review_id;

-- name: review_export
-- Current verdicts with every article URL repeating the claim now (appearances), for the ClaimReview export.
SELECT r.*,
       coalesce((SELECT list(DISTINCT c.article_url ORDER BY c.article_url) FROM claims_ledger c
                 WHERE c.verdict_key = r.claim_key), []) AS appearances
FROM claim_review_current r
ORDER BY r.reviewed_at, r.claim_key;
