-- Named statements used by warehouse/*.py. Parameters are positional (?) or
-- named ($name). Analyst-facing SQL lives in views/ and queries/ instead.

-- name: migrations_table_exists
SELECT count(*) > 0 FROM information_schema.tables WHERE table_name = 'schema_migrations';

-- name: schema_version
SELECT max(version) FROM schema_migrations;

-- name: record_migration
INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, now()::TIMESTAMP);

-- name: mark_unfinished_runs_crashed
-- A run that never finished was killed; say so instead of leaving it "running".
UPDATE runs SET status = 'crashed', message = coalesce(message, 'process ended before the run finished')
WHERE status = 'running';

-- name: start_run
INSERT INTO runs (run_id, flow, started_at, status, nlp_version) VALUES (?, ?, now()::TIMESTAMP, 'running', ?);

-- name: finish_run
UPDATE runs SET finished_at = now()::TIMESTAMP, status = $status,
    feeds = $feeds, feeds_failed = $feeds_failed, feeds_not_modified = $feeds_not_modified,
    items_seen = $items_seen, items_known = $items_known, items_new = $items_new,
    stored = (SELECT count(*) FILTER (WHERE outcome = 'stored') FROM outcomes WHERE run_id = $run_id),
    skipped = (SELECT count(*) FILTER (WHERE outcome = 'skipped') FROM outcomes WHERE run_id = $run_id),
    failed = (SELECT count(*) FILTER (WHERE outcome = 'failed') FROM outcomes WHERE run_id = $run_id),
    message = $message
WHERE run_id = $run_id;

-- name: upsert_feeds
-- Feeds from an OPML file: new ones are added, known ones get the file's title/category.
INSERT INTO feeds (feed_id, url, title, html_url, category, added_at)
SELECT (SELECT coalesce(max(feed_id), 0) FROM feeds) + row_number() OVER (), b.url, b.title, b.html_url, b.category, now()::TIMESTAMP
FROM batch b WHERE b.url NOT IN (SELECT url FROM feeds);
UPDATE feeds SET title = coalesce(b.title, feeds.title), html_url = coalesce(b.html_url, feeds.html_url),
    category = coalesce(b.category, feeds.category), active = TRUE
FROM batch b WHERE feeds.url = b.url;

-- name: feeds_for_urls
SELECT feed_id, url, title, etag, last_modified, consecutive_failures, last_fetched_at
FROM feeds WHERE url IN (SELECT url FROM batch) ORDER BY feed_id;

-- name: list_feeds
SELECT feed_id, title, url, category, active, last_success_at, consecutive_failures, last_error
FROM feeds ORDER BY category NULLS LAST, title;

-- name: insert_feed_fetch
INSERT INTO feed_fetches (run_id, feed_id, fetched_at, status, http_status, entries, new_items, seconds, error, detail)
VALUES (?, ?, now()::TIMESTAMP, ?, ?, ?, ?, ?, ?, ?);

-- name: feed_ok
UPDATE feeds SET last_fetched_at = now()::TIMESTAMP, last_success_at = now()::TIMESTAMP,
    etag = coalesce(?, etag), last_modified = coalesce(?, last_modified),
    title = coalesce(title, ?), consecutive_failures = 0, last_error = NULL,
    last_new_item_at = CASE WHEN ? > 0 THEN now()::TIMESTAMP ELSE last_new_item_at END
WHERE feed_id = ?;

-- name: feed_failed
UPDATE feeds SET last_fetched_at = now()::TIMESTAMP, consecutive_failures = consecutive_failures + 1, last_error = ?
WHERE feed_id = ?;

-- name: new_items_in_batch
-- Entries not known by canonical URL, nor by GUID within the same feed.
SELECT b.* FROM batch b
WHERE b.canonical_url NOT IN (SELECT canonical_url FROM items)
  AND (b.guid IS NULL OR NOT EXISTS (SELECT 1 FROM items i WHERE i.feed_id = b.feed_id AND i.guid = b.guid));

-- name: insert_items
-- Anti-join inserts instead of INSERT OR IGNORE: a DuckLake warehouse has no keys to conflict on, so
-- "nothing twice" is said in the statement (items: one per item_id / canonical_url).
INSERT INTO items BY NAME
SELECT * FROM batch b
WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.item_id = b.item_id OR i.canonical_url = b.canonical_url)
QUALIFY row_number() OVER (PARTITION BY b.item_id ORDER BY b.url) = 1;

-- name: pending_items
-- Items without an outcome: new this run, or left behind by a run that died. Backfilled items are the
-- backfill's to finish (a WARC record must not be replaced by tonight's live page).
SELECT i.item_id, i.canonical_url, i.url, i.title, i.summary, i.author, i.published_at
FROM items i ANTI JOIN outcomes o ON o.item_id = i.item_id
WHERE coalesce(i.ingest_source, 'nightly') = 'nightly'
ORDER BY i.first_seen_at, i.item_id;

-- name: recent_minhashes
-- the newest signatures of the window (at most the limit), returned oldest first: the clusterer drops the oldest
SELECT item_id, cluster_id, minhash FROM (
    SELECT item_id, cluster_id, minhash, fetched_at FROM articles
    WHERE minhash IS NOT NULL AND fetched_at >= now()::TIMESTAMP - to_days(CAST(? AS INTEGER))
    ORDER BY fetched_at DESC, item_id DESC LIMIT ?
) ORDER BY fetched_at, item_id;

-- name: known_content_hashes
SELECT content_hash, item_id FROM articles WHERE content_hash IN (SELECT content_hash FROM batch);

-- name: insert_articles
INSERT INTO articles BY NAME SELECT * FROM batch;

-- name: insert_mentions
INSERT INTO mentions BY NAME SELECT * FROM batch;

-- name: insert_claims
INSERT INTO claims BY NAME SELECT * FROM batch;

-- name: insert_deals
-- one per (item_id, vendor, country, kind); the first of the batch in evidence order
INSERT INTO deals BY NAME
SELECT * FROM batch b
WHERE NOT EXISTS (SELECT 1 FROM deals d WHERE d.item_id = b.item_id AND d.vendor = b.vendor
                  AND d.country = b.country AND d.kind = b.kind)
QUALIFY row_number() OVER (PARTITION BY b.item_id, b.vendor, b.country, b.kind
                           ORDER BY b.evidence) = 1;

-- name: insert_vendor_candidates
-- one per (item_id, name)
INSERT INTO vendor_candidates BY NAME
SELECT * FROM batch b
WHERE NOT EXISTS (SELECT 1 FROM vendor_candidates v WHERE v.item_id = b.item_id AND v.name = b.name)
QUALIFY row_number() OVER (PARTITION BY b.item_id, b.name ORDER BY b.evidence) = 1;

-- name: insert_outcomes
INSERT INTO outcomes BY NAME SELECT * FROM batch;

-- name: decided_in_batch
-- Items of the batch that already have an outcome (stored by another writer of a shared lake).
SELECT item_id FROM outcomes WHERE item_id IN (SELECT item_id FROM batch);

-- name: delete_tags_for_batch
DELETE FROM mentions WHERE item_id IN (SELECT item_id FROM batch);
DELETE FROM claims WHERE item_id IN (SELECT item_id FROM batch);
DELETE FROM deals WHERE item_id IN (SELECT item_id FROM batch);
DELETE FROM vendor_candidates WHERE item_id IN (SELECT item_id FROM batch);

-- name: set_nlp_version
-- the language comes with the tags (detected from the text); a batch without it keeps the stored one
UPDATE articles SET nlp_version = b.nlp_version,
    language = coalesce(b.language, articles.language),
    language_confidence = coalesce(b.language_confidence, articles.language_confidence),
    tagging = coalesce(b.tagging, articles.tagging),
    gate_version = coalesce(b.gate_version, articles.gate_version),
    gate_reason = coalesce(b.gate_reason, articles.gate_reason)
FROM batch b WHERE articles.item_id = b.item_id;

-- name: articles_to_reprocess
-- out-of-scope articles come back when the relevance gate changed (or is now off: NULL)
SELECT item_id, text, language, tagging FROM articles
WHERE $all OR nlp_version IS DISTINCT FROM $nlp_version
   OR (tagging = 'out_of_scope' AND gate_version IS DISTINCT FROM $gate_version)
ORDER BY item_id;

-- name: run_summary
SELECT * FROM runs WHERE run_id = ?;

-- name: run_errors
SELECT reason, count(*) AS n, any_value(detail) AS example FROM outcomes
WHERE run_id = ? AND outcome <> 'stored' GROUP BY reason ORDER BY n DESC;

-- name: run_feed_errors
SELECT f.title, ff.error, ff.detail FROM feed_fetches ff JOIN feeds f USING (feed_id)
WHERE ff.run_id = ? AND ff.status = 'failed' ORDER BY f.title;

-- name: run_tag_counts
SELECT
  (SELECT count(*) FROM articles a JOIN outcomes o USING (item_id) WHERE o.run_id = $run_id AND o.outcome = 'stored') AS articles,
  (SELECT count(DISTINCT entity) FROM mentions m JOIN outcomes o USING (item_id) WHERE o.run_id = $run_id AND entity_type = 'vendor') AS vendors,
  (SELECT count(DISTINCT entity) FROM mentions m JOIN outcomes o USING (item_id) WHERE o.run_id = $run_id AND entity_type = 'country') AS countries,
  (SELECT count(*) FROM claims c JOIN outcomes o USING (item_id) WHERE o.run_id = $run_id) AS claims,
  (SELECT count(*) FROM deals d JOIN outcomes o USING (item_id) WHERE o.run_id = $run_id) AS deals;

-- name: maintenance_due
-- True when the task never ran, or last ran at least $days days ago.
SELECT coalesce(max(last_done_at) <= now()::TIMESTAMP - to_days(CAST($days AS INTEGER)), true)
FROM maintenance WHERE task = $task;

-- name: maintenance_done
MERGE INTO maintenance m
USING (SELECT $task AS task, now()::TIMESTAMP AS last_done_at, CAST($seconds AS DOUBLE) AS seconds,
              CAST($run_id AS VARCHAR) AS run_id) s
ON m.task = s.task
WHEN MATCHED THEN UPDATE SET last_done_at = s.last_done_at, seconds = s.seconds, run_id = s.run_id
WHEN NOT MATCHED THEN INSERT (task, last_done_at, seconds, run_id) VALUES (s.task, s.last_done_at, s.seconds, s.run_id);

-- name: articles_with_blobs
-- Pre-008 rows whose raw page is still a blob inside the warehouse (moved to WARC files by flows/warc.py).
SELECT item_id, final_url, url, http_status, fetched_at, raw_html_gz FROM articles
WHERE raw_html_gz IS NOT NULL AND warc_file IS NULL
ORDER BY item_id LIMIT ?;

-- name: set_warc_refs
UPDATE articles SET warc_file = b.warc_file, warc_offset = b.warc_offset, warc_length = b.warc_length,
    raw_html_gz = NULL
FROM batch b WHERE articles.item_id = b.item_id;

-- name: backfill_item_state
-- For candidate backfill items: already decided (an outcome exists: skip), known but pending (process), or new.
SELECT b.item_id, i.item_id IS NOT NULL AS known,
       EXISTS (SELECT 1 FROM outcomes o WHERE o.item_id = b.item_id) AS decided
FROM batch b LEFT JOIN items i ON i.item_id = b.item_id;

-- name: pending_backfill_items
-- Sitemap entries of an earlier (killed) or this backfill that have no outcome yet.
SELECT i.item_id, i.canonical_url, i.url, i.title, i.summary, i.author, i.published_at, i.ingest_source
FROM items i ANTI JOIN outcomes o ON o.item_id = i.item_id
WHERE i.ingest_source = ? AND i.source_ref = ?
ORDER BY i.first_seen_at, i.item_id;

-- name: article_pages
SELECT item_id, warc_file, warc_offset, warc_length, raw_html_gz FROM articles
WHERE item_id IN (SELECT item_id FROM batch) ORDER BY item_id;

-- name: articles_to_reextract
-- Page articles whose text came from another extraction than $extract_version. NULL (unknown, pre-010) only with
-- $unknown; an article recorded as a miss for this fingerprint is not tried again, except with $everything.
SELECT a.item_id, a.final_url, a.http_status, i.canonical_url, i.url, i.title, i.author, i.published_at,
       i.summary, i.ingest_source
FROM articles a JOIN items i USING (item_id)
WHERE a.text_source = 'page'
  AND ($everything OR (
        a.extract_version IS DISTINCT FROM $extract_version
        AND (a.extract_version IS NOT NULL OR $unknown)
        AND NOT EXISTS (SELECT 1 FROM reextract_misses m
                        WHERE m.item_id = a.item_id AND m.extract_version = $extract_version)))
ORDER BY a.item_id;

-- name: set_extraction
-- New text and metadata from a re-extraction. nlp_version NULL and the keyword postings removed, in the same
-- transaction: the article is re-tagged and re-indexed by this run or, if it is killed, by the next one.
UPDATE articles SET title = b.title, author = b.author, published_at = b.published_at, site_name = b.site_name,
    language = coalesce(b.language, articles.language), text = b.text, word_count = b.word_count,
    content_hash = b.content_hash, minhash = b.minhash, extract_version = b.extract_version,
    dated_at = CASE WHEN articles.dated_at IS NULL THEN NULL ELSE coalesce(b.published_at, articles.dated_at) END,
    nlp_version = NULL
FROM batch b WHERE articles.item_id = b.item_id;
DELETE FROM search_terms WHERE item_id IN (SELECT item_id FROM batch);
DELETE FROM search_docs WHERE item_id IN (SELECT item_id FROM batch);

-- name: insert_reextract_misses
INSERT INTO reextract_misses BY NAME
SELECT * FROM batch b
WHERE NOT EXISTS (SELECT 1 FROM reextract_misses m WHERE m.item_id = b.item_id
                  AND m.extract_version = b.extract_version);
