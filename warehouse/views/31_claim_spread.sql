-- claim_spread: the same claim repeated across articles.
-- Same claim = same metric family, place (NULL = NULL), unit and direction, and values chained within
-- tolerance: claims are sorted by value and a new group starts where the gap to the previous value exceeds
-- claim_tolerance (max(0.5, 2 % of the larger value)). Claims without a value or metric are left out.
-- Reads the rollup rollup_claim_groups, computed by the named statement rollup_claim_groups_refresh in
-- warehouse/queries/_statements.sql (maintained by warehouse.search.index_articles).
-- Verdicts (29_claim_verdicts.sql): a current verdict belongs to the group when its reviewed value lies in
-- [min_value, max_value] or within tolerance of either end; the one nearest the group's figure wins. claim_key is
-- that verdict's key, else claim_key() of the figure as first published (an unreviewed group's key can change when
-- an earlier article joins it; a reviewed key never does).
CREATE OR REPLACE VIEW claim_spread AS
WITH group_verdicts AS (
    SELECT g.spread_id, r.claim_key, r.verdict, r.evidence_url, r.reviewer, r.reviewed_at
    FROM rollup_claim_groups g
    JOIN claim_review_current r
      ON r.metric_family = g.metric_family AND r.place IS NOT DISTINCT FROM g.place
     AND r.unit IS NOT DISTINCT FROM g.unit AND r.direction IS NOT DISTINCT FROM g.direction
     AND (r.value BETWEEN g.min_value AND g.max_value
          OR claim_values_match(r.value, g.min_value) OR claim_values_match(r.value, g.max_value))
    QUALIFY row_number() OVER (PARTITION BY g.spread_id
                               ORDER BY abs(r.value - g.value), r.reviewed_at DESC, r.claim_key) = 1
)
SELECT g.spread_id, metric_family, place, unit, direction, value, min_value, max_value, year,
       CAST(claims AS BIGINT) AS claims, CAST(articles AS BIGINT) AS articles, CAST(outlets AS BIGINT) AS outlets,
       CAST(clusters AS BIGINT) AS clusters, CAST(articles_without_claimant AS BIGINT) AS articles_without_claimant,
       claimants, first_outlet, first_url, first_claimant, first_item_id, first_claim_no,
       first_appeared_at, last_appeared_at,
       coalesce(v.claim_key, claim_key(g.metric_family, g.place, g.unit, g.direction, g.value)) AS claim_key,
       v.verdict, v.evidence_url, v.reviewer, v.reviewed_at
FROM rollup_claim_groups g
LEFT JOIN group_verdicts v ON v.spread_id = g.spread_id;
COMMENT ON VIEW claim_spread IS 'The same claim across articles, one row per claim group (singletons included). Same claim: equal metric family, place (NULL matches NULL), unit and direction, values chained within claim_tolerance = max(0.5, 2 % of the larger value) after sorting by value. Appearance time = coalesce(published_at, first_seen_at).';
COMMENT ON COLUMN claim_spread.spread_id IS 'Stable id of the group: hash of family, place, unit, direction and the smallest value.';
COMMENT ON COLUMN claim_spread.metric_family IS 'Metric family (see claims_ledger.metric_family).';
COMMENT ON COLUMN claim_spread.place IS 'ISO2 place, NULL when the claims name none.';
COMMENT ON COLUMN claim_spread.unit IS 'Unit of the figure.';
COMMENT ON COLUMN claim_spread.direction IS 'increase | decrease | level.';
COMMENT ON COLUMN claim_spread.value IS 'The figure as first published.';
COMMENT ON COLUMN claim_spread.min_value IS 'Smallest figure in the group.';
COMMENT ON COLUMN claim_spread.max_value IS 'Largest figure in the group.';
COMMENT ON COLUMN claim_spread.year IS 'Most common stated year among the claims, NULL when none states one.';
COMMENT ON COLUMN claim_spread.claims IS 'Claims in the group.';
COMMENT ON COLUMN claim_spread.articles IS 'Distinct articles carrying the claim.';
COMMENT ON COLUMN claim_spread.outlets IS 'Distinct outlets carrying the claim.';
COMMENT ON COLUMN claim_spread.clusters IS 'Independent story clusters carrying it (syndicated copies count once).';
COMMENT ON COLUMN claim_spread.articles_without_claimant IS 'Articles that repeat the figure without naming who asserts it.';
COMMENT ON COLUMN claim_spread.claimants IS 'Distinct named claimants, sorted (empty when none).';
COMMENT ON COLUMN claim_spread.first_outlet IS 'Outlet of the first appearance.';
COMMENT ON COLUMN claim_spread.first_url IS 'Article URL of the first appearance.';
COMMENT ON COLUMN claim_spread.first_claimant IS 'Claimant named at the first appearance (NULL if none).';
COMMENT ON COLUMN claim_spread.first_item_id IS 'Article (item_id) of the first appearance; join claims_ledger on item_id, claim_no for its sentence.';
COMMENT ON COLUMN claim_spread.first_claim_no IS 'claim_no of the first appearance.';
COMMENT ON COLUMN claim_spread.first_appeared_at IS 'First appearance: earliest coalesce(published_at, first_seen_at), UTC.';
COMMENT ON COLUMN claim_spread.last_appeared_at IS 'Latest appearance, UTC.';
COMMENT ON COLUMN claim_spread.claim_key IS 'Stable claim key for survwatch review: the key of the verdict covering the group, else claim_key() of the figure as first published.';
COMMENT ON COLUMN claim_spread.verdict IS 'Current verdict covering the group (supported | contradicted | misleading | unverifiable), NULL when unreviewed.';
COMMENT ON COLUMN claim_spread.evidence_url IS 'Evidence URL of the verdict.';
COMMENT ON COLUMN claim_spread.reviewer IS 'Reviewer of the verdict.';
COMMENT ON COLUMN claim_spread.reviewed_at IS 'When the verdict was recorded (UTC).';
