-- What moved: every entity (vendor, country, technology) mentioned in articles first seen in the week,
-- from the view mentions_weekly, with its trailing baseline = mean weekly articles over the 8 ISO weeks
-- before the week (weeks without mentions count 0, as in the view trending), is_new = never mentioned
-- in an earlier week, and the week's earliest article mentioning it as evidence.
WITH week AS (
    SELECT CAST($week_start AS DATE) AS ws
),
this_week AS (
    SELECT m.entity_type, m.entity, m.articles, m.outlets, m.clusters
    FROM mentions_weekly m, week w
    WHERE m.week_start = w.ws
),
baseline AS (
    SELECT m.entity_type, m.entity, sum(m.articles) AS total
    FROM mentions_weekly m, week w
    WHERE m.week_start >= w.ws - INTERVAL 56 DAY AND m.week_start < w.ws
    GROUP BY ALL
),
earlier AS (
    SELECT DISTINCT m.entity_type, m.entity
    FROM mentions_weekly m, week w
    WHERE m.week_start < w.ws
),
evidence AS (
    SELECT me.entity_type, me.entity,
           first(a.url ORDER BY i.first_seen_at, a.item_id)     AS example_url,
           first(a.title ORDER BY i.first_seen_at, a.item_id)   AS example_title,
           first(a.outlet ORDER BY i.first_seen_at, a.item_id)  AS example_outlet
    FROM mentions me
    JOIN items i ON i.item_id = me.item_id
    JOIN articles a ON a.item_id = me.item_id
    WHERE i.first_seen_at >= $week_start AND i.first_seen_at < $week_end
    GROUP BY ALL
)
SELECT
    t.entity_type,
    t.entity,
    CAST(t.articles AS BIGINT)                      AS articles,
    CAST(t.outlets AS BIGINT)                       AS outlets,
    CAST(t.clusters AS BIGINT)                      AS stories,
    coalesce(b.total, 0) / 8.0                      AS baseline,
    t.articles - coalesce(b.total, 0) / 8.0         AS change,
    e.entity IS NULL                                AS is_new,
    x.example_url,
    x.example_title,
    x.example_outlet
FROM this_week t
LEFT JOIN baseline b ON b.entity_type = t.entity_type AND b.entity = t.entity
LEFT JOIN earlier e ON e.entity_type = t.entity_type AND e.entity = t.entity
LEFT JOIN evidence x ON x.entity_type = t.entity_type AND x.entity = t.entity
ORDER BY t.entity_type, t.articles DESC, change DESC, t.entity
