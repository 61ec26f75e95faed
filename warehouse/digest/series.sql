-- Weekly articles (view mentions_weekly) of every vendor and country mentioned in the week, over the 12
-- ISO weeks ending with it (0 for weeks without mentions): the chart and the sparklines.
WITH weeks AS (
    SELECT CAST(unnest(generate_series(CAST($week_start AS DATE) - INTERVAL 77 DAY,
                                       CAST($week_start AS DATE), INTERVAL 7 DAY)) AS DATE) AS week_start
),
entities AS (
    SELECT DISTINCT entity_type, entity
    FROM mentions_weekly
    WHERE week_start = CAST($week_start AS DATE) AND entity_type IN ('vendor', 'country')
)
SELECT e.entity_type, e.entity, w.week_start, iso_week(w.week_start) AS week,
       CAST(coalesce(m.articles, 0) AS BIGINT) AS articles
FROM entities e
CROSS JOIN weeks w
LEFT JOIN mentions_weekly m
       ON m.entity_type = e.entity_type AND m.entity = e.entity AND m.week_start = w.week_start
ORDER BY e.entity_type, e.entity, w.week_start
