-- 006: where a vendor name came from (open-world vendors), the language detected from the text and how the
-- article was tagged in it, and runs stopped by a signal.

ALTER TABLE mentions ADD COLUMN origin VARCHAR;
COMMENT ON COLUMN mentions.origin IS 'For vendor mentions: gazetteer (a name in seeds/vendors.yaml) or discovered (a firm the text presents as a supplier that is not in the gazetteer; filter it out for a curated view). NULL for other entity types and for rows tagged before nlp 0.3.';

ALTER TABLE articles ADD COLUMN language_confidence DOUBLE;
COMMENT ON COLUMN articles.language_confidence IS 'Confidence (0-1) of the language detected from the text (nlp/langid.py); NULL for articles tagged before nlp 0.3, whose language came from page metadata.';
ALTER TABLE articles ADD COLUMN tagging VARCHAR;
COMMENT ON COLUMN articles.tagging IS 'How the article was tagged in its language: full (vendors, countries, technologies, claims, deals) or entities_only (a language without a tagger: vendor names and safe country names only, no claims or deals). NULL before nlp 0.3.';
COMMENT ON COLUMN articles.language IS 'ISO 639-1 language detected from the text (page metadata is only a hint); see language_confidence and tagging.';

COMMENT ON COLUMN runs.status IS 'running | completed | failed (the flow raised; see message) | stopped (ended by SIGTERM/SIGINT/SIGHUP; its pending items go to the next run) | crashed (a later run found it unfinished: killed).';
COMMENT ON COLUMN feed_fetches.error IS 'Short reason when failed: timeout, http_404, too_large, not_a_feed, parse_error, blocked_address (the address guard), dns_error (the name does not resolve; transient) …';
COMMENT ON COLUMN outcomes.reason IS 'stored: article | feed_summary. skipped: not_an_article, duplicate_content, robots. failed: http_404 (any http_NNN), timeout, too_large, blocked_address, dns_error, connection_error, extract_error …';

ALTER TABLE rollup_claims ADD COLUMN language VARCHAR;
COMMENT ON COLUMN rollup_claims.language IS 'articles.language of the claim''s article.';
UPDATE rollup_claims SET language = a.language FROM articles a WHERE a.item_id = rollup_claims.item_id;
