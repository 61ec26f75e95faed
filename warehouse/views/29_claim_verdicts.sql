-- Claim review (migration 007, `survwatch review`): the stable claim key and the verdicts that follow claims.
--
-- Why not claim ids or spread_id: `reprocess --all` deletes and re-inserts claims (item_id/claim_no can change
-- meaning), and claim_spread groups are chains sorted by value, so their smallest value (spread_id) moves when an
-- article adds a smaller figure to the chain. A verdict is therefore stored with the figure it was given for
-- (claim_reviews: metric family, place, unit, direction, value) and applies to every claim, present or future,
-- with equal family/place/unit/direction and a value within claim_tolerance of the reviewed value.
--
-- The claim key names that figure: a hash of family, place, unit, direction and the value's bucket on a FIXED
-- grid (claim_value_bucket), so the same figure gets the same key in every run, after `reprocess --all`, a new
-- nlp version or a backfill. The grid follows claim_tolerance: steps of 0.5 up to |v| = 25 (where the tolerance is
-- the 0.5 floor), above that steps of 2 % on a log scale; bucket width <= tolerance, so two claim_spread groups
-- (whose figures differ by more than the tolerance) never share a bucket.

CREATE OR REPLACE MACRO claim_value_bucket(v) AS CASE
    WHEN v IS NULL THEN NULL
    WHEN abs(v) <= 25 THEN 'h' || CAST(CAST(round(2 * v) AS BIGINT) AS VARCHAR)
    ELSE (CASE WHEN v < 0 THEN 'n' ELSE 'p' END) || CAST(CAST(round(ln(abs(v)) / ln(1.02)) AS BIGINT) AS VARCHAR)
    END;
COMMENT ON MACRO claim_value_bucket IS 'Figure -> its bucket on a fixed grid (h<n>: n = round(2v), i.e. steps of 0.5 up to |v| = 25; p<k>/n<k>: k = round(ln|v| / ln 1.02) above). Part of claim_key.';

CREATE OR REPLACE MACRO claim_key(family, place, unit, direction, v) AS
    substr(md5(concat_ws('|', family, coalesce(place, '-'), coalesce(unit, '-'), coalesce(direction, '-'),
                         claim_value_bucket(v))), 1, 12);
COMMENT ON MACRO claim_key IS 'Stable claim key: first 12 hex digits of md5(family|place|unit|direction|claim_value_bucket(value)). Depends on nothing but the figure, so it survives re-runs and reprocessing.';

CREATE OR REPLACE VIEW claim_review_current AS
SELECT r.*,
       count(*) OVER (PARTITION BY r.claim_key)          AS verdicts,
       min(r.reviewed_at) OVER (PARTITION BY r.claim_key) AS first_reviewed_at
FROM claim_reviews r
QUALIFY row_number() OVER (PARTITION BY r.claim_key ORDER BY r.reviewed_at DESC, r.review_id DESC) = 1;
COMMENT ON VIEW claim_review_current IS 'Current verdict per claim key: the newest claim_reviews row (reviewed_at, then review_id). Older rows stay in claim_reviews as history.';
COMMENT ON COLUMN claim_review_current.review_id IS 'claim_reviews.review_id of the current verdict.';
COMMENT ON COLUMN claim_review_current.claim_key IS 'Stable claim key (macro claim_key).';
COMMENT ON COLUMN claim_review_current.metric_family IS 'Metric family of the reviewed claim.';
COMMENT ON COLUMN claim_review_current.place IS 'ISO2 place, NULL when none.';
COMMENT ON COLUMN claim_review_current.unit IS 'Unit of the figure.';
COMMENT ON COLUMN claim_review_current.direction IS 'increase | decrease | level.';
COMMENT ON COLUMN claim_review_current.value IS 'Reviewed figure; claims within claim_tolerance of it carry the verdict.';
COMMENT ON COLUMN claim_review_current.verdict IS 'supported | contradicted | misleading | unverifiable.';
COMMENT ON COLUMN claim_review_current.evidence_url IS 'http(s) URL of the evidence.';
COMMENT ON COLUMN claim_review_current.reviewer IS 'Who recorded the verdict.';
COMMENT ON COLUMN claim_review_current.note IS 'Reviewer''s note.';
COMMENT ON COLUMN claim_review_current.reviewed_at IS 'When the current verdict was recorded (UTC).';
COMMENT ON COLUMN claim_review_current.claim_text IS 'Sentence of the first appearance at review time.';
COMMENT ON COLUMN claim_review_current.first_claimant IS 'Claimant at the first appearance at review time.';
COMMENT ON COLUMN claim_review_current.first_url IS 'First appearance URL at review time.';
COMMENT ON COLUMN claim_review_current.first_outlet IS 'First appearance outlet at review time.';
COMMENT ON COLUMN claim_review_current.first_appeared_at IS 'First appearance (UTC) at review time.';
COMMENT ON COLUMN claim_review_current.articles_at_review IS 'Articles repeating the claim when the current verdict was recorded.';
COMMENT ON COLUMN claim_review_current.verdicts IS 'Verdicts recorded for the key so far (history length).';
COMMENT ON COLUMN claim_review_current.first_reviewed_at IS 'When the key was first reviewed (UTC).';

-- claim_verdicts: every claim that a current verdict covers. When two reviewed figures both lie within tolerance,
-- the nearer one wins (then the newer verdict, then the key), so a claim has at most one verdict.
CREATE OR REPLACE VIEW claim_verdicts AS
SELECT c.item_id, c.claim_no, r.claim_key, r.verdict, r.evidence_url, r.reviewer, r.note, r.reviewed_at,
       r.value AS reviewed_value
FROM rollup_claims c
JOIN metric_family_map f ON f.metric = c.metric
JOIN claim_review_current r
  ON r.metric_family = f.metric_family AND r.place IS NOT DISTINCT FROM c.place
 AND r.unit IS NOT DISTINCT FROM c.unit AND r.direction IS NOT DISTINCT FROM c.direction
 AND claim_values_match(c.value, r.value)
QUALIFY row_number() OVER (PARTITION BY c.item_id, c.claim_no
                           ORDER BY abs(c.value - r.value), r.reviewed_at DESC, r.claim_key) = 1;
COMMENT ON VIEW claim_verdicts IS 'Claims covered by a current verdict: equal metric family, place, unit and direction, value within claim_tolerance of the reviewed value (nearest reviewed value wins). Computed at query time, so re-tagged and newly ingested claims are covered as soon as they exist.';
COMMENT ON COLUMN claim_verdicts.item_id IS 'articles.item_id of the claim.';
COMMENT ON COLUMN claim_verdicts.claim_no IS 'claim_no of the claim.';
COMMENT ON COLUMN claim_verdicts.claim_key IS 'Key of the verdict covering the claim.';
COMMENT ON COLUMN claim_verdicts.verdict IS 'Current verdict.';
COMMENT ON COLUMN claim_verdicts.evidence_url IS 'Evidence URL of the verdict.';
COMMENT ON COLUMN claim_verdicts.reviewer IS 'Reviewer of the verdict.';
COMMENT ON COLUMN claim_verdicts.note IS 'Reviewer''s note.';
COMMENT ON COLUMN claim_verdicts.reviewed_at IS 'When the verdict was recorded (UTC).';
COMMENT ON COLUMN claim_verdicts.reviewed_value IS 'The reviewed figure the claim matched.';
