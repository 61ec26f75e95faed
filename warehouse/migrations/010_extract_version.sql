-- 010: which extraction produced an article's text, so `survwatch reprocess` re-extracts from the WARC archive
-- when trafilatura or survwatch's extraction settings change; and the articles it could not re-extract, and why.
-- Rows from before keep NULL ("unknown"): only `reprocess --re-extract` re-extracts those (no silent rewrite of
-- every article on upgrade).

ALTER TABLE articles ADD COLUMN extract_version VARCHAR;
COMMENT ON COLUMN articles.extract_version IS 'Fingerprint of the extraction that produced text, title, author, published_at, site_name and word_count: flows/extract.py EXTRACT_VERSION + the trafilatura version, e.g. 1+trafilatura-2.0.0. `survwatch reprocess` re-extracts from the WARC record an article whose fingerprint is another one. NULL: unknown (stored before migration 010; re-extracted only by `reprocess --re-extract`) or a feed-summary article (no page).';

CREATE TABLE reextract_misses (
    item_id         VARCHAR NOT NULL,
    extract_version VARCHAR NOT NULL,
    reason          VARCHAR NOT NULL,
    detail          VARCHAR,
    run_id          VARCHAR NOT NULL,
    recorded_at     TIMESTAMP NOT NULL
);
COMMENT ON TABLE reextract_misses IS 'Articles `survwatch reprocess` could not re-extract with an extraction fingerprint: they keep their text and tags. One row per (item_id, extract_version); later runs with the same fingerprint skip them (`reprocess --re-extract --all` tries again, e.g. after restoring a WARC file).';
COMMENT ON COLUMN reextract_misses.item_id IS 'articles.item_id';
COMMENT ON COLUMN reextract_misses.extract_version IS 'The extraction fingerprint that was wanted (articles.extract_version is unchanged).';
COMMENT ON COLUMN reextract_misses.reason IS 'no_raw_page (stored without its raw page, e.g. an old warehouse) | warc_missing (the WARC file is gone) | warc_unreadable (no record at the offset) | not_an_article (the new extraction finds too little text) | extract_error (the extractor raised).';
COMMENT ON COLUMN reextract_misses.detail IS 'Human-readable detail naming the URL or the WARC file.';
COMMENT ON COLUMN reextract_misses.run_id IS 'runs.run_id of the reprocess run that recorded it.';
COMMENT ON COLUMN reextract_misses.recorded_at IS 'When recorded, UTC.';
