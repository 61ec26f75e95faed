-- Named statements used by warehouse/reference.py and warehouse/search.py (not analyst queries:
-- files starting with "_" are not listed by `survwatch query --list`). The table `batch` is an Arrow
-- batch registered by the caller.

-- name: reference_known_in_batch
-- How many rows of the batch replace an existing reference (same place, metric, period, unit).
SELECT count(*) FROM reference_stats r
SEMI JOIN batch b ON b.place = r.place AND b.metric = r.metric AND b.period = r.period AND b.unit = r.unit;

-- name: reference_upsert
-- MERGE rather than INSERT OR REPLACE: works on a DuckLake warehouse too (no key to conflict on there)
MERGE INTO reference_stats r
USING (SELECT place, metric, period, value, unit, source_url, note, CAST(now() AS TIMESTAMP) AS loaded_at
       FROM batch) b  -- keys are unique in the batch (read_reference_csv refuses duplicates)
ON r.place = b.place AND r.metric = b.metric AND r.period = b.period AND r.unit = b.unit
WHEN MATCHED THEN UPDATE SET value = b.value, source_url = b.source_url, note = b.note, loaded_at = b.loaded_at
WHEN NOT MATCHED THEN INSERT (place, metric, period, value, unit, source_url, note, loaded_at)
    VALUES (b.place, b.metric, b.period, b.value, b.unit, b.source_url, b.note, b.loaded_at);

-- name: search_indexed_in_batch
-- Articles of the batch already in the index (re-indexing must first remove their postings).
SELECT count(*) FROM search_docs WHERE item_id IN (SELECT item_id FROM batch);

-- name: search_unindex_batch
DELETE FROM search_terms WHERE item_id IN (SELECT item_id FROM batch);
DELETE FROM search_docs WHERE item_id IN (SELECT item_id FROM batch);

-- name: search_index_batch
-- Postings for the batch's articles: text terms count 1, title terms count 3 (title_weight).
INSERT INTO search_terms (term, item_id, tf)
SELECT term, item_id, CAST(sum(weight) AS INTEGER)
FROM (
    SELECT a.item_id, unnest(search_terms_of(a.text)) AS term, 1 AS weight
    FROM articles a WHERE a.item_id IN (SELECT item_id FROM batch)
    UNION ALL
    SELECT a.item_id, unnest(search_terms_of(a.title)) AS term, 3 AS weight
    FROM articles a WHERE a.item_id IN (SELECT item_id FROM batch)
)
GROUP BY term, item_id;
INSERT INTO search_docs (item_id, doc_len, indexed_at)
SELECT a.item_id, coalesce(t.doc_len, 0), CAST(now() AS TIMESTAMP)
FROM articles a
LEFT JOIN (SELECT item_id, CAST(sum(tf) AS INTEGER) AS doc_len FROM search_terms
           WHERE item_id IN (SELECT item_id FROM batch) GROUP BY item_id) t ON t.item_id = a.item_id
WHERE a.item_id IN (SELECT item_id FROM batch);

-- name: search_query_terms
-- The index terms of a query string (same tokeniser as the index).
SELECT list_distinct(search_terms_of($query));

-- name: search_bm25
-- Okapi BM25 (k1 = 1.2, b = 0.75, idf = ln(1 + (N - df + 0.5) / (df + 0.5))) over the postings of
-- the query terms $terms; any term may match (OR), documents matching more terms score higher.
WITH postings AS (
    SELECT term, item_id, tf FROM search_terms WHERE list_contains($terms, term)
),
stats AS (
    SELECT count(*) AS n, coalesce(avg(doc_len), 1) AS avgdl FROM search_docs
),
df AS (
    SELECT term, count(*) AS df FROM postings GROUP BY term
),
scored AS (
    SELECT p.item_id,
           sum(ln(1 + (s.n - df.df + 0.5) / (df.df + 0.5))
               * p.tf * (1.2 + 1) / (p.tf + 1.2 * (1 - 0.75 + 0.75 * d.doc_len / greatest(s.avgdl, 1)))) AS score,
           count(*) AS matched_terms
    FROM postings p
    JOIN df ON df.term = p.term
    JOIN search_docs d ON d.item_id = p.item_id
    CROSS JOIN stats s
    GROUP BY p.item_id
),
best AS (
    SELECT * FROM scored ORDER BY score DESC, item_id LIMIT $limit
)
SELECT t.item_id, a.url, a.title, a.outlet, t.score, t.matched_terms, a.text
FROM best t
JOIN articles a ON a.item_id = t.item_id
ORDER BY t.score DESC, t.item_id;

-- name: search_all_article_ids
SELECT item_id FROM articles ORDER BY item_id;

-- name: search_unindexed_articles
-- Stored articles missing from the keyword index (e.g. stored by a run that died before indexing).
SELECT a.item_id FROM articles a ANTI JOIN search_docs s ON s.item_id = a.item_id ORDER BY a.item_id;

-- name: search_unindexed_articles_after
-- The next $limit of them after ($after_dated, $after) in date order (keyset paging: each page is indexed in its own
-- transaction). Date order, the rollups' date (coalesce(dated_at, first_seen_at)), because each page also
-- recomputes the rollups of every week and month its articles fall in: pages of a backfill in id order spread over
-- years and each one recomputed nearly every week (memory and time growing with the warehouse); in date order a page
-- touches a few neighbouring weeks.
SELECT a.item_id, coalesce(a.dated_at, i.first_seen_at) AS dated
FROM articles a JOIN items i ON i.item_id = a.item_id ANTI JOIN search_docs s ON s.item_id = a.item_id
WHERE coalesce(a.dated_at, i.first_seen_at) > $after_dated
   OR (coalesce(a.dated_at, i.first_seen_at) = $after_dated AND a.item_id > $after)
ORDER BY dated, a.item_id LIMIT $limit;

-- name: rollup_buckets_of_batch
-- The ISO weeks and months of the batch's items: the weekly/monthly rollup buckets they count in. An item is dated
-- by coalesce(articles.dated_at, items.first_seen_at): backfilled articles by their publication date, nightly ones
-- by when survwatch first saw them. The temp tables keep the column name first_seen_at for that date. Starts from
-- the batch, so no table is hashed whole.
CREATE OR REPLACE TEMP TABLE rollup_batch_dated AS
SELECT b.item_id, coalesce(a.dated_at, i.first_seen_at) AS first_seen_at
FROM batch b JOIN items i ON i.item_id = b.item_id LEFT JOIN articles a ON a.item_id = b.item_id;
CREATE OR REPLACE TEMP TABLE rollup_weeks AS
SELECT DISTINCT CAST(date_trunc('week', first_seen_at) AS DATE) AS week_start FROM rollup_batch_dated;
CREATE OR REPLACE TEMP TABLE rollup_months AS
SELECT DISTINCT CAST(date_trunc('month', first_seen_at) AS DATE) AS month_start FROM rollup_batch_dated;

-- name: rollup_mark_stale
-- Mark the batch's weeks and months for recomputation (index_pending recomputes each marked bucket once, after
-- its chunks: see migration 012). An anti-join, not ON CONFLICT: a DuckLake warehouse has no keys.
INSERT INTO rollup_stale (rollup, bucket_start, marked_at)
SELECT k.rollup, k.bucket_start, now()::TIMESTAMP
FROM (SELECT 'week' AS rollup, week_start AS bucket_start FROM rollup_weeks
      UNION ALL SELECT 'month', month_start FROM rollup_months) k
WHERE NOT EXISTS (SELECT 1 FROM rollup_stale s WHERE s.rollup = k.rollup AND s.bucket_start = k.bucket_start);

-- name: rollup_stale_buckets
SELECT rollup, bucket_start FROM rollup_stale ORDER BY bucket_start, rollup;

-- name: rollup_week_of_stale
-- The one bucket to recompute as the temp tables the refresh statements read (the other one empty).
CREATE OR REPLACE TEMP TABLE rollup_weeks AS
SELECT CAST($bucket_start AS DATE) AS week_start WHERE $rollup = 'week';

-- name: rollup_month_of_stale
CREATE OR REPLACE TEMP TABLE rollup_months AS
SELECT CAST($bucket_start AS DATE) AS month_start WHERE $rollup = 'month';

-- name: rollup_unmark_stale
DELETE FROM rollup_stale WHERE rollup = $rollup AND bucket_start = CAST($bucket_start AS DATE);

-- name: rollup_unmark_all
-- After a full rebuild nothing is stale.
DELETE FROM rollup_stale;
DELETE FROM rollup_stale_partitions;

-- name: rollup_bucket_items
-- Every stored article dated in one of the weeks (rollup_weeks) or months (rollup_months) to recompute: dated ones
-- straight from articles, undated (nightly) ones through the items first seen then. Each table scan is filtered
-- against the few buckets before any join, so the memory follows the buckets' articles, not the warehouse
-- (joining items to articles whole first, as this did before, hashed every stored article each time).
CREATE OR REPLACE TEMP TABLE rollup_items AS
WITH tagged AS (
    -- only articles with a mention or a deal count in these rollups: in a general-news backfill most stored
    -- articles (out of scope) have none, and leaving them out keeps a busy month's working set small (a 200,000-
    -- article month has ~15,000 tagged ones)
    SELECT DISTINCT item_id FROM mentions UNION SELECT DISTINCT item_id FROM deals
)
SELECT a.item_id, a.dated_at AS first_seen_at, a.outlet, a.cluster_id, a.url
FROM articles a
WHERE a.dated_at IS NOT NULL
  AND (CAST(date_trunc('month', a.dated_at) AS DATE) IN (SELECT month_start FROM rollup_months)
       OR CAST(date_trunc('week', a.dated_at) AS DATE) IN (SELECT week_start FROM rollup_weeks))
  AND a.item_id IN (SELECT item_id FROM tagged)
UNION ALL
SELECT a.item_id, i.first_seen_at, a.outlet, a.cluster_id, a.url
FROM (SELECT item_id, first_seen_at FROM items
      -- items are stored in first-seen order: the lower bound lets zone maps skip the older row groups
      WHERE first_seen_at >= (SELECT least((SELECT min(month_start) FROM rollup_months),
                                           (SELECT min(week_start) FROM rollup_weeks)))
        AND (CAST(date_trunc('month', first_seen_at) AS DATE) IN (SELECT month_start FROM rollup_months)
             OR CAST(date_trunc('week', first_seen_at) AS DATE) IN (SELECT week_start FROM rollup_weeks))) i
JOIN articles a ON a.item_id = i.item_id
WHERE a.dated_at IS NULL AND a.item_id IN (SELECT item_id FROM tagged);
CREATE OR REPLACE TEMP TABLE rollup_month_items AS
SELECT item_id, CAST(date_trunc('month', first_seen_at) AS DATE) AS month_start, first_seen_at, url
FROM rollup_items WHERE CAST(date_trunc('month', first_seen_at) AS DATE) IN (SELECT month_start FROM rollup_months);
CREATE OR REPLACE TEMP TABLE rollup_week_items AS
SELECT item_id, CAST(date_trunc('week', first_seen_at) AS DATE) AS week_start, first_seen_at, outlet, cluster_id, url
FROM rollup_items WHERE CAST(date_trunc('week', first_seen_at) AS DATE) IN (SELECT week_start FROM rollup_weeks);

-- name: rollup_entity_weeks_refresh
DELETE FROM rollup_entity_weeks WHERE week_start IN (SELECT week_start FROM rollup_weeks);
INSERT INTO rollup_entity_weeks (week_start, entity_type, entity, articles, outlets, clusters)
WITH per_article AS (
    SELECT DISTINCT m.item_id, m.entity_type, m.entity
    FROM mentions m WHERE m.item_id IN (SELECT item_id FROM rollup_week_items)
)
SELECT w.week_start, p.entity_type, p.entity, count(*), count(DISTINCT w.outlet), count(DISTINCT w.cluster_id)
FROM per_article p JOIN rollup_week_items w ON w.item_id = p.item_id
GROUP BY w.week_start, p.entity_type, p.entity;

-- name: rollup_vendor_country_months_refresh
DELETE FROM rollup_vendor_country_months WHERE month_start IN (SELECT month_start FROM rollup_months);
INSERT INTO rollup_vendor_country_months
WITH vendors AS (
    SELECT DISTINCT item_id, entity AS vendor FROM mentions
    WHERE entity_type = 'vendor' AND item_id IN (SELECT item_id FROM rollup_month_items)
),
countries AS (
    SELECT DISTINCT item_id, entity AS country FROM mentions
    WHERE entity_type = 'country' AND item_id IN (SELECT item_id FROM rollup_month_items)
),
co AS (
    SELECT w.month_start, v.vendor, c.country, count(*) AS articles,
           min(w.first_seen_at) AS first_seen_at, max(w.first_seen_at) AS last_seen_at,
           max_by(w.url, w.first_seen_at) AS newest_url
    FROM vendors v JOIN countries c ON c.item_id = v.item_id JOIN rollup_month_items w ON w.item_id = v.item_id
    GROUP BY ALL
),
dl AS (
    SELECT w.month_start, d.vendor, d.country,
           count(DISTINCT d.item_id) AS deal_articles,
           count(*) FILTER (WHERE d.kind = 'contract') AS contracts,
           count(*) FILTER (WHERE d.kind = 'supply') AS supplies,
           count(*) FILTER (WHERE d.kind = 'donation') AS donations,
           count(*) FILTER (WHERE d.kind = 'loan') AS loans,
           count(*) FILTER (WHERE d.kind = 'office') AS offices,
           count(*) FILTER (WHERE d.kind = 'ban') AS bans,
           list_distinct(list(d.technology) FILTER (WHERE d.technology IS NOT NULL)) AS technologies,
           min(w.first_seen_at) AS first_seen_at, max(w.first_seen_at) AS last_seen_at
    FROM deals d JOIN rollup_month_items w ON w.item_id = d.item_id
    GROUP BY ALL
),
du AS (
    -- an article asserting several deals of a pair is one piece of evidence
    SELECT month_start, vendor, country, max_by(url, first_seen_at, 5) AS urls
    FROM (SELECT DISTINCT w.month_start, d.vendor, d.country, w.url, w.first_seen_at
          FROM deals d JOIN rollup_month_items w ON w.item_id = d.item_id)
    GROUP BY ALL
)
SELECT coalesce(co.month_start, dl.month_start), coalesce(co.vendor, dl.vendor), coalesce(co.country, dl.country),
       coalesce(co.articles, 0), coalesce(dl.deal_articles, 0), coalesce(dl.contracts, 0), coalesce(dl.supplies, 0),
       coalesce(dl.donations, 0), coalesce(dl.loans, 0), coalesce(dl.offices, 0), coalesce(dl.bans, 0),
       coalesce(dl.technologies, []),
       least(co.first_seen_at, dl.first_seen_at), greatest(co.last_seen_at, dl.last_seen_at),
       coalesce(du.urls, []), co.newest_url
FROM co
FULL OUTER JOIN dl ON dl.month_start = co.month_start AND dl.vendor = co.vendor AND dl.country = co.country
LEFT JOIN du ON du.month_start = dl.month_start AND du.vendor = dl.vendor AND du.country = dl.country;

-- name: spread_partitions_before
-- Claim-group partitions (family, place, unit, direction) the batch's claims belonged to before the
-- refresh (re-tagging may move or remove claims).
CREATE OR REPLACE TEMP TABLE spread_partitions AS
SELECT DISTINCT f.metric_family, r.place, r.unit, r.direction
FROM rollup_claims r JOIN metric_family_map f ON f.metric = r.metric
WHERE r.item_id IN (SELECT item_id FROM batch);

-- name: rollup_claims_refresh
DELETE FROM rollup_claims WHERE item_id IN (SELECT item_id FROM batch);
INSERT INTO rollup_claims (item_id, claim_no, metric, place, unit, direction, value, year, claimant, hedged,
                           sentence, outlet, article_url, title, published_at, first_seen_at, cluster_id, appeared_at,
                           language)
SELECT c.item_id, c.claim_no, c.metric, c.place, c.unit, c.direction, c.value, c.year, c.source, c.hedged,
       c.sentence, a.outlet, a.url, a.title, a.published_at, i.first_seen_at, a.cluster_id,
       coalesce(a.published_at, i.first_seen_at), a.language
FROM (SELECT * FROM claims WHERE item_id IN (SELECT item_id FROM batch)) c
-- each side cut to the batch before the join, so no side is hashed whole
JOIN (SELECT * FROM articles WHERE item_id IN (SELECT item_id FROM batch)) a ON a.item_id = c.item_id
JOIN (SELECT * FROM items WHERE item_id IN (SELECT item_id FROM batch)) i ON i.item_id = c.item_id;

-- name: spread_partitions_after
-- ... and the partitions they belong to now: spread_partitions holds every partition the batch touches.
INSERT INTO spread_partitions
SELECT DISTINCT f.metric_family, r.place, r.unit, r.direction
FROM rollup_claims r JOIN metric_family_map f ON f.metric = r.metric
WHERE r.item_id IN (SELECT item_id FROM batch);

-- name: rollup_mark_stale_partitions
-- Mark the batch's claim-group partitions for recomputation (index_pending recomputes them once, after its chunks:
-- migration 012). A partition holds every claim of its kind, so recomputing it with every chunk reread them all.
INSERT INTO rollup_stale_partitions (metric_family, place, unit, direction, marked_at)
SELECT DISTINCT p.metric_family, p.place, p.unit, p.direction, now()::TIMESTAMP
FROM spread_partitions p
WHERE NOT EXISTS (SELECT 1 FROM rollup_stale_partitions s
                  WHERE s.metric_family = p.metric_family AND s.place IS NOT DISTINCT FROM p.place
                    AND s.unit IS NOT DISTINCT FROM p.unit AND s.direction IS NOT DISTINCT FROM p.direction);

-- name: rollup_stale_partition_groups
-- The marked partitions in groups, in key order, by where each starts in the running count of their claims: a
-- group holds at most $claims claims plus those of its last partition, so each recomputation's memory is bounded
-- by that, not by how many partitions a run touched.
CREATE OR REPLACE TEMP TABLE stale_partition_groups AS
WITH sized AS (
    SELECT s.metric_family, s.place, s.unit, s.direction, coalesce(c.claims, 0) AS claims
    FROM rollup_stale_partitions s
    LEFT JOIN (SELECT f.metric_family, r.place, r.unit, r.direction, count(*) AS claims
               FROM rollup_claims r JOIN metric_family_map f ON f.metric = r.metric GROUP BY ALL) c
      ON c.metric_family = s.metric_family AND c.place IS NOT DISTINCT FROM s.place
     AND c.unit IS NOT DISTINCT FROM s.unit AND c.direction IS NOT DISTINCT FROM s.direction
)
SELECT metric_family, place, unit, direction,
       CAST((sum(claims) OVER (ORDER BY metric_family, place NULLS FIRST, unit NULLS FIRST, direction NULLS FIRST
                               ROWS UNBOUNDED PRECEDING) - claims) // $claims AS BIGINT) AS grp
FROM sized;

-- name: stale_partition_group_numbers
SELECT DISTINCT grp FROM stale_partition_groups ORDER BY grp;

-- name: spread_partitions_of_group
CREATE OR REPLACE TEMP TABLE spread_partitions AS
SELECT metric_family, place, unit, direction FROM stale_partition_groups WHERE grp = $grp;

-- name: rollup_unmark_stale_partitions
DELETE FROM rollup_stale_partitions s
WHERE EXISTS (SELECT 1 FROM spread_partitions p
              WHERE p.metric_family = s.metric_family AND p.place IS NOT DISTINCT FROM s.place
                AND p.unit IS NOT DISTINCT FROM s.unit AND p.direction IS NOT DISTINCT FROM s.direction);

-- name: rollup_claim_groups_refresh
-- Recompute the claim groups (see the claim_spread view) of every partition in spread_partitions.
DELETE FROM rollup_claim_groups g
WHERE EXISTS (SELECT 1 FROM spread_partitions p
              WHERE p.metric_family = g.metric_family AND p.place IS NOT DISTINCT FROM g.place
                AND p.unit IS NOT DISTINCT FROM g.unit AND p.direction IS NOT DISTINCT FROM g.direction);
INSERT INTO rollup_claim_groups
WITH parts AS (
    SELECT DISTINCT * FROM spread_partitions
),
base AS (
    SELECT r.item_id, r.claim_no, r.place, r.unit, r.direction, r.value, r.year, r.claimant, r.outlet,
           r.article_url, r.cluster_id, r.appeared_at, f.metric_family
    FROM rollup_claims r
    JOIN metric_family_map f ON f.metric = r.metric
    SEMI JOIN parts p
      ON p.metric_family = f.metric_family AND p.place IS NOT DISTINCT FROM r.place
     AND p.unit IS NOT DISTINCT FROM r.unit AND p.direction IS NOT DISTINCT FROM r.direction
    WHERE r.value IS NOT NULL AND f.metric_family <> ''
),
distinct_values AS (
    -- chaining works on the distinct values of each partition: few rows to sort
    SELECT DISTINCT metric_family, place, unit, direction, value FROM base
),
starts AS (
    SELECT *, CASE WHEN claim_values_match(lag(value) OVER w, value) THEN 0 ELSE 1 END AS starts_group
    FROM distinct_values
    WINDOW w AS (PARTITION BY metric_family, place, unit, direction ORDER BY value)
),
numbered AS (
    SELECT metric_family, place, unit, direction, value,
           hash(metric_family, place, unit, direction,
                sum(starts_group) OVER (PARTITION BY metric_family, place, unit, direction ORDER BY value
                                        ROWS UNBOUNDED PRECEDING)) AS gid
    FROM starts
),
keyed AS (
    SELECT n.gid, b.*
    FROM base b
    JOIN numbered n
      ON n.metric_family = b.metric_family AND n.place IS NOT DISTINCT FROM b.place
     AND n.unit IS NOT DISTINCT FROM b.unit AND n.direction IS NOT DISTINCT FROM b.direction
     AND n.value = b.value
),
grouped AS (
    SELECT gid,
           any_value(metric_family) AS metric_family, any_value(place) AS place,
           any_value(unit) AS unit, any_value(direction) AS direction,
           arg_min(value, (appeared_at, item_id, claim_no)) AS value,
           min(value) AS min_value, max(value) AS max_value, mode(year) AS year, count(*) AS claims,
           count(DISTINCT item_id) AS articles, count(DISTINCT outlet) AS outlets,
           count(DISTINCT cluster_id) AS clusters,
           count(DISTINCT item_id) FILTER (WHERE claimant IS NULL) AS articles_without_claimant,
           coalesce(list_sort(list_distinct(list(claimant) FILTER (WHERE claimant IS NOT NULL))), []) AS claimants,
           arg_min({'item_id': item_id, 'claim_no': claim_no, 'outlet': outlet, 'url': article_url,
                    'claimant': claimant}, (appeared_at, item_id, claim_no)) AS first,
           min(appeared_at) AS first_appeared_at, max(appeared_at) AS last_appeared_at
    FROM keyed
    GROUP BY gid
)
SELECT substr(md5(concat_ws('|', metric_family, coalesce(place, '-'), coalesce(unit, '-'),
                            coalesce(direction, '-'), CAST(min_value AS VARCHAR))), 1, 16),
       metric_family, place, unit, direction, value, min_value, max_value, year, claims, articles, outlets,
       clusters, articles_without_claimant, claimants, first.item_id, first.claim_no, first.outlet, first.url,
       first.claimant, first_appeared_at, last_appeared_at
FROM grouped;

-- name: rollup_cleanup
DROP TABLE IF EXISTS spread_partitions;
DROP TABLE IF EXISTS stale_partition_groups;
DROP TABLE IF EXISTS rollup_batch_dated;
DROP TABLE IF EXISTS rollup_items;
DROP TABLE IF EXISTS rollup_months;
DROP TABLE IF EXISTS rollup_month_items;
DROP TABLE IF EXISTS rollup_weeks;
DROP TABLE IF EXISTS rollup_week_items;

-- name: search_compact
-- Rewrite the postings sorted by term so zone maps let a query read only the row groups of its terms.
CREATE OR REPLACE TEMP TABLE search_terms_sorted AS SELECT term, item_id, tf FROM search_terms ORDER BY term, item_id;
DELETE FROM search_terms;
INSERT INTO search_terms SELECT term, item_id, tf FROM search_terms_sorted;
DROP TABLE search_terms_sorted;
