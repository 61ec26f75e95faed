-- Data check: the view rollups agree with the base tables (a difference means index_articles was not called after storing or re-tagging some articles, a run died before recomputing the buckets it marked in rollup_stale / rollup_stale_partitions (the next run, or warehouse.search.refresh_stale_rollups, finishes them), or metric_families changed; fix with warehouse.search.reindex_all). Reads every mention: seconds on a large warehouse.
WITH live_entity_weeks AS (
    -- the rollups' date: backfilled articles by publication date (dated_at), nightly ones by first sighting
    SELECT CAST(date_trunc('week', coalesce(a.dated_at, i.first_seen_at)) AS DATE) AS week_start, m.entity_type, m.entity,
           count(*) AS articles, count(DISTINCT a.outlet) AS outlets, count(DISTINCT a.cluster_id) AS clusters
    FROM (SELECT DISTINCT item_id, entity_type, entity FROM mentions) m
    JOIN items i ON i.item_id = m.item_id
    JOIN articles a ON a.item_id = m.item_id
    GROUP BY ALL
),
entity_diff AS (
    (SELECT week_start, entity_type, entity, articles, outlets, clusters FROM live_entity_weeks
     EXCEPT ALL
     SELECT week_start, entity_type, entity, articles, outlets, clusters FROM rollup_entity_weeks)
    UNION ALL
    (SELECT week_start, entity_type, entity, articles, outlets, clusters FROM rollup_entity_weeks
     EXCEPT ALL
     SELECT week_start, entity_type, entity, articles, outlets, clusters FROM live_entity_weeks)
),
live_pairs AS (
    SELECT v.vendor, c.country, count(*) AS co_mention_articles
    FROM (SELECT DISTINCT item_id, entity AS vendor FROM mentions WHERE entity_type = 'vendor') v
    JOIN (SELECT DISTINCT item_id, entity AS country FROM mentions WHERE entity_type = 'country') c
      ON c.item_id = v.item_id
    JOIN articles a ON a.item_id = v.item_id
    GROUP BY ALL
),
rollup_pairs AS (
    SELECT vendor, country, sum(co_mention_articles) AS co_mention_articles
    FROM rollup_vendor_country_months GROUP BY ALL HAVING sum(co_mention_articles) > 0
),
live_deals AS (
    SELECT vendor, country, count(*) AS deals FROM deals d SEMI JOIN articles a ON a.item_id = d.item_id GROUP BY ALL
),
rollup_deals AS (
    SELECT vendor, country, sum(contracts + supplies + donations + loans + offices + bans) AS deals
    FROM rollup_vendor_country_months GROUP BY ALL HAVING sum(contracts + supplies + donations + loans + offices + bans) > 0
),
live_claims AS (
    SELECT c.item_id, c.claim_no, c.metric, c.place, c.unit, c.direction, c.value, c.year, c.source AS claimant,
           c.hedged, c.sentence, a.outlet, a.url AS article_url, a.title, a.published_at, i.first_seen_at,
           a.cluster_id, coalesce(a.published_at, i.first_seen_at) AS appeared_at, a.language
    FROM claims c JOIN articles a ON a.item_id = c.item_id JOIN items i ON i.item_id = c.item_id
),
live_partitions AS (
    SELECT f.metric_family, c.place, c.unit, c.direction, count(*) AS claims
    FROM claims c JOIN metric_family_map f ON f.metric = c.metric
    WHERE c.value IS NOT NULL AND f.metric_family <> ''
    GROUP BY ALL
),
group_partitions AS (
    SELECT metric_family, place, unit, direction, sum(claims) AS claims FROM rollup_claim_groups GROUP BY ALL
)
SELECT 'rollup_entity_weeks current' AS check_name, 'rollup_entity_weeks' AS table_name,
       CAST(week_start AS VARCHAR) || ' ' || entity_type || ' ' || entity AS key,
       articles || ' articles' AS detail
FROM entity_diff
UNION ALL
SELECT 'rollup_vendor_country_months co-mentions current', 'rollup_vendor_country_months',
       coalesce(l.vendor, r.vendor) || '-' || coalesce(l.country, r.country),
       coalesce(l.co_mention_articles, 0) || ' live vs ' || coalesce(r.co_mention_articles, 0) || ' rolled up'
FROM live_pairs l FULL OUTER JOIN rollup_pairs r ON r.vendor = l.vendor AND r.country = l.country
WHERE l.co_mention_articles IS DISTINCT FROM r.co_mention_articles
UNION ALL
SELECT 'rollup_vendor_country_months deals current', 'rollup_vendor_country_months',
       coalesce(l.vendor, r.vendor) || '-' || coalesce(l.country, r.country),
       coalesce(l.deals, 0) || ' live vs ' || coalesce(r.deals, 0) || ' rolled up'
FROM live_deals l FULL OUTER JOIN rollup_deals r ON r.vendor = l.vendor AND r.country = l.country
WHERE l.deals IS DISTINCT FROM r.deals
UNION ALL
SELECT 'rollup_claims current', 'rollup_claims', item_id || '#' || claim_no, 'differs from claims'
FROM ((SELECT * FROM live_claims EXCEPT ALL SELECT * FROM rollup_claims)
      UNION ALL
      (SELECT * FROM rollup_claims EXCEPT ALL SELECT * FROM live_claims))
UNION ALL
SELECT 'rollup_claim_groups current', 'rollup_claim_groups',
       concat_ws(' ', coalesce(l.metric_family, g.metric_family), coalesce(l.place, g.place), coalesce(l.unit, g.unit),
                 coalesce(l.direction, g.direction)),
       coalesce(l.claims, 0) || ' claims vs ' || coalesce(g.claims, 0) || ' in groups'
FROM live_partitions l
FULL OUTER JOIN group_partitions g
  ON g.metric_family = l.metric_family AND g.place IS NOT DISTINCT FROM l.place
 AND g.unit IS NOT DISTINCT FROM l.unit AND g.direction IS NOT DISTINCT FROM l.direction
WHERE l.claims IS DISTINCT FROM g.claims
UNION ALL
SELECT 'rollup_claim_groups spread_id unique', 'rollup_claim_groups', spread_id, count(*) || ' rows'
FROM rollup_claim_groups GROUP BY spread_id HAVING count(*) > 1
UNION ALL
SELECT 'search index covers articles', 'search_docs', a.item_id, 'article not in the keyword index'
FROM articles a ANTI JOIN search_docs s ON s.item_id = a.item_id
