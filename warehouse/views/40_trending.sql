-- trending: entities whose article count in the latest week rose most against their trailing average.
-- Latest week = ISO week of the newest items.first_seen_at (the current week while ingest runs; it may be
-- incomplete). Baseline = mean weekly articles over the 8 ISO weeks before it, weeks without mentions
-- counting as 0. Weeks count backfilled articles by their publication date (articles.dated_at). Reads the rollup rollup_entity_weeks (maintained by warehouse.search.index_articles).
CREATE OR REPLACE VIEW trending AS
WITH latest AS (
    SELECT CAST(date_trunc('week', max(first_seen_at)) AS DATE) AS week_start FROM items
),
counts AS (
    SELECT e.entity_type, e.entity,
           coalesce(sum(e.articles) FILTER (WHERE e.week_start = l.week_start), 0)  AS articles,
           coalesce(sum(e.articles) FILTER (WHERE e.week_start < l.week_start), 0)  AS baseline_total
    FROM rollup_entity_weeks e, latest l
    WHERE e.week_start >= l.week_start - INTERVAL 56 DAY AND e.week_start <= l.week_start
    GROUP BY ALL
),
firsts AS (
    SELECT entity_type, entity, min(week_start) AS first_week FROM rollup_entity_weeks GROUP BY ALL
)
SELECT
    iso_week(l.week_start)                                   AS week,
    l.week_start,
    c.entity_type,
    c.entity,
    CAST(c.articles AS BIGINT)                               AS articles,
    c.baseline_total / 8.0                                   AS baseline,
    c.articles - c.baseline_total / 8.0                      AS change,
    c.articles / nullif(c.baseline_total / 8.0, 0)           AS ratio,
    f.first_week >= l.week_start                             AS is_new
FROM counts c
CROSS JOIN latest l
JOIN firsts f ON f.entity_type = c.entity_type AND f.entity = c.entity;
COMMENT ON VIEW trending IS 'Entities mentioned in the latest week or the 8 weeks before it: articles in the latest ISO week (of the newest items.first_seen_at; possibly incomplete) against the mean of the 8 previous weeks (missing weeks count 0); backfilled articles count in the week they were published. Sort by change DESC for risers.';
COMMENT ON COLUMN trending.week IS 'Latest ISO week label YYYY-Www.';
COMMENT ON COLUMN trending.week_start IS 'Monday of the latest week.';
COMMENT ON COLUMN trending.entity_type IS 'vendor | country | technology.';
COMMENT ON COLUMN trending.entity IS 'Canonical entity.';
COMMENT ON COLUMN trending.articles IS 'Articles first seen in the latest week that mention the entity.';
COMMENT ON COLUMN trending.baseline IS 'Mean weekly articles over the 8 previous ISO weeks.';
COMMENT ON COLUMN trending.change IS 'articles - baseline.';
COMMENT ON COLUMN trending.ratio IS 'articles / baseline; NULL when the baseline is 0.';
COMMENT ON COLUMN trending.is_new IS 'TRUE when the entity was never mentioned before the latest week.';
