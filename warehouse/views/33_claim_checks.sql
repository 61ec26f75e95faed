-- claim_checks: every claim checked against analyst-loaded reference_stats.
-- A reference matches a claim on place, metric family and unit; when the claim states a year it must lie
-- in the reference period (2019 or 2015-2019); among those the narrowest period wins, then the latest.
-- A claim without a year is compared with the most recent period. A reference with a negative value is
-- compared with the claim's signed figure (decrease -> negative); otherwise the stated figures are compared.
-- consistent: claim_values_match(claim, reference); inconsistent: not; unverified: no reference or no figure.
-- Reads the rollup rollup_claims (maintained by warehouse.search.index_articles); sentences are in claims_ledger.
CREATE OR REPLACE VIEW claim_checks AS
WITH ref AS (
    SELECT r.*,
           f.metric_family,
           TRY_CAST(regexp_extract(r.period, '^\s*(\d{4})', 1) AS INTEGER)                  AS period_start,
           coalesce(TRY_CAST(regexp_extract(r.period, '^\s*\d{4}\s*[-/–]\s*(\d{4})\s*$', 1) AS INTEGER),
                    TRY_CAST(regexp_extract(r.period, '^\s*(\d{4})', 1) AS INTEGER))        AS period_end
    FROM reference_stats r
    LEFT JOIN metric_family_map f ON f.metric = r.metric
),
ref_by_year AS (
    -- one reference per (place, family, unit, year): the narrowest period containing the year, then the latest
    SELECT place, metric_family, unit, year,
           arg_min(r, (r.period_end - r.period_start, -r.period_end, r.period)) AS r
    FROM (SELECT r, r.place, r.metric_family, r.unit, unnest(range(r.period_start, r.period_end + 1)) AS year
          FROM ref r WHERE r.period_start IS NOT NULL AND r.period_end >= r.period_start)
    GROUP BY ALL
),
ref_latest AS (
    -- claims without a year: the reference with the most recent period
    SELECT r.place, r.metric_family, r.unit, arg_max(r, (coalesce(r.period_end, 0), r.period)) AS r
    FROM ref r GROUP BY ALL
),
matched AS (
    SELECT c.*, f.metric_family,
           CASE WHEN c.value IS NULL THEN NULL WHEN c.year IS NULL THEN l.r ELSE y.r END AS ref
    FROM rollup_claims c
    LEFT JOIN metric_family_map f ON f.metric = c.metric
    LEFT JOIN ref_by_year y
      ON c.year IS NOT NULL AND y.place = c.place AND y.metric_family = f.metric_family AND y.unit = c.unit
     AND y.year = c.year
    LEFT JOIN ref_latest l
      ON c.year IS NULL AND l.place = c.place AND l.metric_family = f.metric_family AND l.unit = c.unit
),
compared AS (
    SELECT m.*,
           CASE WHEN m.ref.value < 0 AND m.direction = 'decrease' THEN -m.value ELSE m.value END AS compared_value
    FROM matched m
)
SELECT
    item_id, claim_no, metric, metric_family, place, unit, direction, value, year, claimant, outlet, article_url,
    ref.metric                                                           AS reference_metric,
    ref.period                                                           AS reference_period,
    ref.value                                                            AS reference_value,
    ref.source_url                                                       AS reference_source_url,
    ref.note                                                             AS reference_note,
    CASE WHEN ref IS NULL THEN NULL WHEN year IS NOT NULL THEN 'exact' ELSE 'claim_year_unknown' END AS year_match,
    CASE WHEN ref IS NULL THEN 'unverified'
         WHEN claim_values_match(compared_value, ref.value) THEN 'consistent'
         ELSE 'inconsistent' END                                         AS status,
    compared_value - ref.value                                           AS difference,
    (compared_value - ref.value) / nullif(abs(ref.value), 0)            AS relative_difference
FROM compared;
COMMENT ON VIEW claim_checks IS 'Every claim checked against reference_stats (same place, metric family and unit; claim year inside the reference period when the claim states one; else the most recent period). status: consistent (within claim_tolerance = max(0.5, 2 % of the larger value)), inconsistent, unverified (no reference or no figure).';
COMMENT ON COLUMN claim_checks.item_id IS 'articles.item_id';
COMMENT ON COLUMN claim_checks.claim_no IS 'claims.claim_no';
COMMENT ON COLUMN claim_checks.metric IS 'Metric as tagged.';
COMMENT ON COLUMN claim_checks.metric_family IS 'Metric family used for matching.';
COMMENT ON COLUMN claim_checks.place IS 'ISO2 place of the claim.';
COMMENT ON COLUMN claim_checks.unit IS 'Unit of the claim.';
COMMENT ON COLUMN claim_checks.direction IS 'Direction of the claim.';
COMMENT ON COLUMN claim_checks.value IS 'Figure of the claim.';
COMMENT ON COLUMN claim_checks.year IS 'Year stated by the claim.';
COMMENT ON COLUMN claim_checks.claimant IS 'Who asserts it, NULL when unnamed.';
COMMENT ON COLUMN claim_checks.outlet IS 'Outlet of the article.';
COMMENT ON COLUMN claim_checks.article_url IS 'URL of the article.';
COMMENT ON COLUMN claim_checks.reference_metric IS 'reference_stats.metric of the matched reference, NULL when unverified.';
COMMENT ON COLUMN claim_checks.reference_period IS 'reference_stats.period of the matched reference.';
COMMENT ON COLUMN claim_checks.reference_value IS 'reference_stats.value of the matched reference.';
COMMENT ON COLUMN claim_checks.reference_source_url IS 'Where the reference figure comes from.';
COMMENT ON COLUMN claim_checks.reference_note IS 'Analyst note of the reference.';
COMMENT ON COLUMN claim_checks.year_match IS 'exact (claim year inside the period) | claim_year_unknown (claim states no year: most recent period used) | NULL when unverified.';
COMMENT ON COLUMN claim_checks.status IS 'consistent | inconsistent | unverified.';
COMMENT ON COLUMN claim_checks.difference IS 'Compared claim figure minus reference value (signed figure when the reference is negative).';
COMMENT ON COLUMN claim_checks.relative_difference IS 'difference / |reference value|.';
