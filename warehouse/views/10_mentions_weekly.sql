-- mentions_weekly: ISO week (of coalesce(articles.dated_at, items.first_seen_at)) x entity -> articles, outlets, story clusters.
-- Reads the rollup rollup_entity_weeks (maintained by warehouse.search.index_articles).
CREATE OR REPLACE VIEW mentions_weekly AS
SELECT iso_week(week_start) AS week, week_start, entity_type, entity, articles, outlets, clusters
FROM rollup_entity_weeks;
COMMENT ON VIEW mentions_weekly IS 'Weekly mention counts per entity. Weeks are ISO weeks (Monday start) of the article''s date: for nightly articles items.first_seen_at (when survwatch first saw it), for backfilled ones (items.ingest_source backfill:*) articles.dated_at, their publication date.';
COMMENT ON COLUMN mentions_weekly.week IS 'ISO week label YYYY-Www (ISO week-numbering year).';
COMMENT ON COLUMN mentions_weekly.week_start IS 'Monday of the ISO week.';
COMMENT ON COLUMN mentions_weekly.entity_type IS 'vendor | country | technology.';
COMMENT ON COLUMN mentions_weekly.entity IS 'Canonical vendor name, ISO2 country code or technology id.';
COMMENT ON COLUMN mentions_weekly.articles IS 'Articles dated that week (first seen, or published for backfilled ones) that mention the entity (each article once).';
COMMENT ON COLUMN mentions_weekly.outlets IS 'Distinct outlets (articles.outlet) among those articles.';
COMMENT ON COLUMN mentions_weekly.clusters IS 'Distinct story clusters (articles.cluster_id) among those articles: syndicated copies count once.';
