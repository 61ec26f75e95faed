-- 008: backfilled items (from WARC files and sitemaps) told apart from nightly ones, the date trend views count
-- them by, and raw pages moved out of the DuckDB file into WARC files beside it.

ALTER TABLE items ADD COLUMN ingest_source VARCHAR DEFAULT 'nightly';
COMMENT ON COLUMN items.ingest_source IS 'How the item came in: nightly (a feed, by `survwatch run`) | backfill:warc (a record of a WARC file, `survwatch backfill --warc`) | backfill:sitemap (a news sitemap entry, `survwatch backfill --sitemap`).';
ALTER TABLE items ADD COLUMN source_ref VARCHAR;
COMMENT ON COLUMN items.source_ref IS 'For backfilled items: the WARC file (name) or the sitemap URL the item came from; NULL for nightly items (see feed_id).';
-- backfilled items come from no feed
ALTER TABLE items ALTER COLUMN feed_id DROP NOT NULL;
COMMENT ON COLUMN items.feed_id IS 'First feed that listed the item (feeds.feed_id); NULL for backfilled items (see ingest_source, source_ref).';

ALTER TABLE articles ADD COLUMN dated_at TIMESTAMP;
COMMENT ON COLUMN articles.dated_at IS 'Backfilled articles: the publication date the trend views count them by, UTC: the page''s own metadata date (trafilatura) wins, else the news sitemap publication date or lastmod, else the WARC-Date of the capture. NULL for nightly articles, which the trend views count by items.first_seen_at.';
ALTER TABLE articles ADD COLUMN warc_file VARCHAR;
COMMENT ON COLUMN articles.warc_file IS 'WARC file holding the fetched response (status line, headers, body as served, decompressed), relative to the warehouse''s folder, e.g. warc/survwatch-1a2b3c4d-00000.warc.gz. NULL for feed-summary articles (no page) and for rows still carrying raw_html_gz.';
ALTER TABLE articles ADD COLUMN warc_offset BIGINT;
COMMENT ON COLUMN articles.warc_offset IS 'Byte offset of the response record (one gzip member) in warc_file: seek there and read warc_length bytes; `warcio extract FILE OFFSET` prints it.';
ALTER TABLE articles ADD COLUMN warc_length BIGINT;
COMMENT ON COLUMN articles.warc_length IS 'Length in bytes of the gzip-compressed WARC record at warc_offset.';
COMMENT ON COLUMN articles.raw_html_gz IS 'Legacy: the raw page, gzip-compressed, as written before migration 008. No longer written (pages go to WARC files, see warc_file); the first write run of a newer survwatch moves existing blobs to a WARC file and clears this column.';
