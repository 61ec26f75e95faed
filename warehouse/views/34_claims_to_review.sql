-- claims_to_review: claim groups (claim_spread) without a current verdict, in the order an analyst should check
-- them: how far they spread (independent stories, then outlets), how many conflicting figures they have
-- (claim_conflicts), whether no article names a claimant, then the most recent.
CREATE OR REPLACE VIEW claims_to_review AS
WITH conflicts AS (
    SELECT spread_id, count(*) AS conflicts
    FROM (SELECT a_spread_id AS spread_id FROM claim_conflicts UNION ALL SELECT b_spread_id FROM claim_conflicts)
    GROUP BY spread_id
)
SELECT row_number() OVER (ORDER BY s.clusters DESC, s.outlets DESC, coalesce(k.conflicts, 0) DESC,
                                   len(s.claimants) = 0 DESC, s.articles_without_claimant DESC,
                                   s.last_appeared_at DESC, s.claim_key) AS priority,
       s.claim_key, s.metric_family, s.place, s.unit, s.direction, s.value, s.min_value, s.max_value, s.year,
       s.claims, s.articles, s.outlets, s.clusters, coalesce(k.conflicts, 0) AS conflicts,
       s.articles_without_claimant, len(s.claimants) = 0 AS no_claimant, s.claimants,
       s.first_outlet, s.first_url, s.first_claimant, s.first_item_id, s.first_claim_no,
       s.first_appeared_at, s.last_appeared_at, s.spread_id
FROM claim_spread s
LEFT JOIN conflicts k ON k.spread_id = s.spread_id
WHERE s.verdict IS NULL;
COMMENT ON VIEW claims_to_review IS 'Unreviewed claim groups ranked for checking: independent stories, outlets, conflicting figures, no claimant named, most recent. survwatch review list shows it.';
COMMENT ON COLUMN claims_to_review.priority IS 'Rank, 1 = check first.';
COMMENT ON COLUMN claims_to_review.claim_key IS 'Key to pass to survwatch review show/set.';
COMMENT ON COLUMN claims_to_review.metric_family IS 'Metric family.';
COMMENT ON COLUMN claims_to_review.place IS 'ISO2 place, NULL when none.';
COMMENT ON COLUMN claims_to_review.unit IS 'Unit of the figure.';
COMMENT ON COLUMN claims_to_review.direction IS 'increase | decrease | level.';
COMMENT ON COLUMN claims_to_review.value IS 'The figure as first published.';
COMMENT ON COLUMN claims_to_review.min_value IS 'Smallest figure in the group.';
COMMENT ON COLUMN claims_to_review.max_value IS 'Largest figure in the group.';
COMMENT ON COLUMN claims_to_review.year IS 'Most common stated year.';
COMMENT ON COLUMN claims_to_review.claims IS 'Claims in the group.';
COMMENT ON COLUMN claims_to_review.articles IS 'Articles repeating it.';
COMMENT ON COLUMN claims_to_review.outlets IS 'Outlets repeating it.';
COMMENT ON COLUMN claims_to_review.clusters IS 'Independent stories repeating it.';
COMMENT ON COLUMN claims_to_review.conflicts IS 'Conflicting claim groups (rows of claim_conflicts naming this group).';
COMMENT ON COLUMN claims_to_review.articles_without_claimant IS 'Articles repeating it without naming who asserts it.';
COMMENT ON COLUMN claims_to_review.no_claimant IS 'TRUE when no article names a claimant.';
COMMENT ON COLUMN claims_to_review.claimants IS 'Distinct named claimants.';
COMMENT ON COLUMN claims_to_review.first_outlet IS 'Outlet of the first appearance.';
COMMENT ON COLUMN claims_to_review.first_url IS 'URL of the first appearance.';
COMMENT ON COLUMN claims_to_review.first_claimant IS 'Claimant at the first appearance.';
COMMENT ON COLUMN claims_to_review.first_item_id IS 'item_id of the first appearance.';
COMMENT ON COLUMN claims_to_review.first_claim_no IS 'claim_no of the first appearance.';
COMMENT ON COLUMN claims_to_review.first_appeared_at IS 'First appearance, UTC.';
COMMENT ON COLUMN claims_to_review.last_appeared_at IS 'Latest appearance, UTC.';
COMMENT ON COLUMN claims_to_review.spread_id IS 'claim_spread.spread_id.';
