-- feed_health: one row per feed with a status.
-- Thresholds: failing = 3 or more consecutive failed fetches; quiet = no new item for 14 days
-- (or never one); never_fetched = no fetch attempt yet. First matching status wins in that order:
-- never_fetched, failing, quiet, ok. "Now" is the time of the query (now()).
-- Articles stored in the last 8 weeks are counted with how many the relevance gate kept out of the parse.
CREATE OR REPLACE VIEW feed_health AS
WITH recent AS (
    SELECT feed_id, count(*) AS items_8w
    FROM items
    WHERE first_seen_at >= CAST(now() AS TIMESTAMP) - INTERVAL 56 DAY
    GROUP BY feed_id
), stored AS (
    SELECT i.feed_id, count(*) AS articles_8w,
           count(*) FILTER (WHERE a.tagging = 'out_of_scope') AS out_of_scope_8w
    FROM articles a JOIN items i ON i.item_id = a.item_id
    WHERE a.fetched_at >= CAST(now() AS TIMESTAMP) - INTERVAL 56 DAY
    GROUP BY i.feed_id
)
SELECT
    f.feed_id,
    f.title,
    f.url,
    f.category,
    f.active,
    f.last_fetched_at,
    f.last_success_at,
    f.last_new_item_at,
    f.consecutive_failures,
    f.last_error,
    coalesce(r.items_8w, 0) / 8.0 AS items_per_week,
    coalesce(st.articles_8w, 0) AS articles_8w,
    coalesce(st.out_of_scope_8w, 0) AS out_of_scope_8w,
    round(coalesce(st.out_of_scope_8w, 0) / nullif(st.articles_8w, 0), 3) AS out_of_scope_share,
    CASE
        WHEN f.last_fetched_at IS NULL THEN 'never_fetched'
        WHEN f.consecutive_failures >= 3 THEN 'failing'
        WHEN f.last_new_item_at IS NULL
          OR f.last_new_item_at < CAST(now() AS TIMESTAMP) - INTERVAL 14 DAY THEN 'quiet'
        ELSE 'ok'
    END AS status
FROM feeds f
LEFT JOIN recent r ON r.feed_id = f.feed_id
LEFT JOIN stored st ON st.feed_id = f.feed_id;
COMMENT ON VIEW feed_health IS 'Per feed: last success, last new item, failures, items per week over the last 8 weeks and a status: never_fetched (no attempt yet), failing (>= 3 consecutive failures), quiet (no new item in 14 days), ok; first match wins in that order.';
COMMENT ON COLUMN feed_health.feed_id IS 'feeds.feed_id';
COMMENT ON COLUMN feed_health.title IS 'Feed title.';
COMMENT ON COLUMN feed_health.url IS 'Feed URL.';
COMMENT ON COLUMN feed_health.category IS 'Category from the OPML.';
COMMENT ON COLUMN feed_health.active IS 'FALSE when removed from the feed list.';
COMMENT ON COLUMN feed_health.last_fetched_at IS 'Last fetch attempt, UTC.';
COMMENT ON COLUMN feed_health.last_success_at IS 'Last successful fetch (200 or 304), UTC.';
COMMENT ON COLUMN feed_health.last_new_item_at IS 'Last time the feed yielded a new item, UTC.';
COMMENT ON COLUMN feed_health.consecutive_failures IS 'Failed fetches since the last success.';
COMMENT ON COLUMN feed_health.last_error IS 'Reason of the last failure.';
COMMENT ON COLUMN feed_health.items_per_week IS 'Items first listed by this feed in the last 56 days, divided by 8.';
COMMENT ON COLUMN feed_health.articles_8w IS 'Articles from this feed stored (fetched) in the last 56 days.';
COMMENT ON COLUMN feed_health.out_of_scope_8w IS 'Of articles_8w, those the relevance gate kept out of tagging (articles.tagging = out_of_scope).';
COMMENT ON COLUMN feed_health.out_of_scope_share IS 'out_of_scope_8w / articles_8w (NULL without articles): near 1 means a general feed that brings little on surveillance.';
COMMENT ON COLUMN feed_health.status IS 'never_fetched | failing (>= 3 consecutive failures) | quiet (no new item in 14 days) | ok.';
