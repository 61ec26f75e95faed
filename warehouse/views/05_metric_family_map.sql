-- metric_family_map: every metric wording used by claims (and rollup_claims) or reference_stats -> its family.
-- Family = metric_families.family of the metric_norm() form, else the metric_norm() form itself.
CREATE OR REPLACE VIEW metric_family_map AS
WITH families AS (
    SELECT metric_norm(metric) AS metric, any_value(metric_norm(family)) AS family
    FROM metric_families GROUP BY 1
),
metrics AS (
    SELECT DISTINCT metric FROM claims WHERE metric IS NOT NULL
    UNION
    SELECT DISTINCT metric FROM rollup_claims WHERE metric IS NOT NULL
    UNION
    SELECT DISTINCT metric FROM reference_stats
)
SELECT m.metric, coalesce(f.family, metric_norm(m.metric)) AS metric_family
FROM metrics m
LEFT JOIN families f ON f.metric = metric_norm(m.metric);
COMMENT ON VIEW metric_family_map IS 'Every metric wording in claims, rollup_claims and reference_stats with its metric family: metric_families.family for its metric_norm() form (lower-case, punctuation to spaces, last word singularised), else that form itself.';
COMMENT ON COLUMN metric_family_map.metric IS 'Metric wording as stored (claims.metric or reference_stats.metric).';
COMMENT ON COLUMN metric_family_map.metric_family IS 'Its metric family.';
