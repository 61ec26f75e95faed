-- claim_conflicts: pairs of claim groups (claim_spread) about the same metric family, place and unit
-- that disagree, one row per unordered pair.
--   value:     same direction, different groups (so the figures differ beyond claim_tolerance);
--              side a holds the smaller figure.
--   direction: one says increase, the other decrease (any figures); side a is the decrease.
-- Claims without a place are never compared. Groups whose (most common) stated years differ are not
-- compared; a group without a stated year is compared with any year.
CREATE OR REPLACE VIEW claim_conflicts AS
SELECT
    a.metric_family,
    a.place,
    a.unit,
    CASE WHEN a.direction IS NOT DISTINCT FROM b.direction THEN 'value' ELSE 'direction' END AS conflict,
    coalesce(a.year, b.year)            AS year,
    a.spread_id                         AS a_spread_id,
    a.direction                         AS a_direction,
    a.value                             AS a_value,
    a.first_outlet                      AS a_outlet,
    a.first_url                         AS a_url,
    a.first_claimant                    AS a_claimant,
    a.articles                          AS a_articles,
    a.first_appeared_at                 AS a_first_appeared_at,
    b.spread_id                         AS b_spread_id,
    b.direction                         AS b_direction,
    b.value                             AS b_value,
    b.first_outlet                      AS b_outlet,
    b.first_url                         AS b_url,
    b.first_claimant                    AS b_claimant,
    b.articles                          AS b_articles,
    b.first_appeared_at                 AS b_first_appeared_at,
    b.value - a.value                   AS difference,
    (b.value - a.value) / nullif(greatest(abs(a.value), abs(b.value)), 0) AS relative_difference
FROM claim_spread a
JOIN claim_spread b
  ON b.metric_family = a.metric_family
 AND b.place = a.place
 AND b.unit IS NOT DISTINCT FROM a.unit
 AND (a.year IS NULL OR b.year IS NULL OR a.year = b.year)
 AND ((a.direction IS NOT DISTINCT FROM b.direction AND a.min_value < b.min_value)
      OR (a.direction = 'decrease' AND b.direction = 'increase'));
COMMENT ON VIEW claim_conflicts IS 'Disagreeing figures for the same metric family, place and unit, one row per pair of claim groups (claim_spread). conflict = value (same direction, figures beyond claim_tolerance; a is the smaller) or direction (a says decrease, b increase). Unplaced claims and groups with different stated years are not compared.';
COMMENT ON COLUMN claim_conflicts.metric_family IS 'Metric family.';
COMMENT ON COLUMN claim_conflicts.place IS 'ISO2 place.';
COMMENT ON COLUMN claim_conflicts.unit IS 'Unit of both figures.';
COMMENT ON COLUMN claim_conflicts.conflict IS 'value | direction.';
COMMENT ON COLUMN claim_conflicts.year IS 'Stated year (of a, else b), NULL when neither states one.';
COMMENT ON COLUMN claim_conflicts.a_spread_id IS 'claim_spread.spread_id of side a.';
COMMENT ON COLUMN claim_conflicts.a_direction IS 'Direction of side a.';
COMMENT ON COLUMN claim_conflicts.a_value IS 'Figure of side a (as first published).';
COMMENT ON COLUMN claim_conflicts.a_outlet IS 'Outlet of the first appearance of side a.';
COMMENT ON COLUMN claim_conflicts.a_url IS 'Article URL of the first appearance of side a.';
COMMENT ON COLUMN claim_conflicts.a_claimant IS 'Claimant named at the first appearance of side a.';
COMMENT ON COLUMN claim_conflicts.a_articles IS 'Articles carrying side a.';
COMMENT ON COLUMN claim_conflicts.a_first_appeared_at IS 'First appearance of side a, UTC.';
COMMENT ON COLUMN claim_conflicts.b_spread_id IS 'claim_spread.spread_id of side b.';
COMMENT ON COLUMN claim_conflicts.b_direction IS 'Direction of side b.';
COMMENT ON COLUMN claim_conflicts.b_value IS 'Figure of side b (as first published).';
COMMENT ON COLUMN claim_conflicts.b_outlet IS 'Outlet of the first appearance of side b.';
COMMENT ON COLUMN claim_conflicts.b_url IS 'Article URL of the first appearance of side b.';
COMMENT ON COLUMN claim_conflicts.b_claimant IS 'Claimant named at the first appearance of side b.';
COMMENT ON COLUMN claim_conflicts.b_articles IS 'Articles carrying side b.';
COMMENT ON COLUMN claim_conflicts.b_first_appeared_at IS 'First appearance of side b, UTC.';
COMMENT ON COLUMN claim_conflicts.difference IS 'b_value - a_value.';
COMMENT ON COLUMN claim_conflicts.relative_difference IS 'difference / max(|a_value|, |b_value|).';
