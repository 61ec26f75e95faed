-- 001: the core tables of the survwatch warehouse.
-- All timestamps are UTC (TIMESTAMP without time zone, by convention UTC).

CREATE TABLE runs (
    run_id          VARCHAR PRIMARY KEY,
    flow            VARCHAR NOT NULL,
    started_at      TIMESTAMP NOT NULL,
    finished_at     TIMESTAMP,
    status          VARCHAR NOT NULL,
    feeds           INTEGER,
    feeds_failed    INTEGER,
    feeds_not_modified INTEGER,
    items_seen      INTEGER,
    items_known     INTEGER,
    items_new       INTEGER,
    stored          INTEGER,
    skipped         INTEGER,
    failed          INTEGER,
    nlp_version     VARCHAR,
    message         VARCHAR
);
COMMENT ON TABLE runs IS 'One row per flow run (nightly_ingest, reprocess): when, what it counted, how it ended.';
COMMENT ON COLUMN runs.run_id IS 'Run identifier (UUID; the Prefect flow-run id when run by Prefect).';
COMMENT ON COLUMN runs.flow IS 'Flow name: nightly_ingest | reprocess.';
COMMENT ON COLUMN runs.started_at IS 'Start, UTC.';
COMMENT ON COLUMN runs.finished_at IS 'End, UTC; NULL while running or if the process died.';
COMMENT ON COLUMN runs.status IS 'running | completed | failed (the flow raised; see message) | crashed (a later run found it unfinished).';
COMMENT ON COLUMN runs.feeds IS 'Feeds fetched in this run.';
COMMENT ON COLUMN runs.feeds_failed IS 'Feeds whose fetch or parse failed.';
COMMENT ON COLUMN runs.feeds_not_modified IS 'Feeds that answered 304 Not Modified (nothing to do).';
COMMENT ON COLUMN runs.items_seen IS 'Items handled this run: items_new plus pending items left by an earlier run. Equals stored + skipped + failed.';
COMMENT ON COLUMN runs.items_known IS 'Feed entries whose item was already in the warehouse (not processed again).';
COMMENT ON COLUMN runs.items_new IS 'Feed entries seen for the first time in this run.';
COMMENT ON COLUMN runs.stored IS 'Items that ended with outcome stored.';
COMMENT ON COLUMN runs.skipped IS 'Items that ended with outcome skipped.';
COMMENT ON COLUMN runs.failed IS 'Items that ended with outcome failed.';
COMMENT ON COLUMN runs.nlp_version IS 'Version of the nlp tagger used by this run.';
COMMENT ON COLUMN runs.message IS 'Free-text note, e.g. why the run stopped.';

CREATE TABLE feeds (
    feed_id         INTEGER PRIMARY KEY,
    url             VARCHAR NOT NULL UNIQUE,
    title           VARCHAR,
    html_url        VARCHAR,
    category        VARCHAR,
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    added_at        TIMESTAMP NOT NULL,
    etag            VARCHAR,
    last_modified   VARCHAR,
    last_fetched_at TIMESTAMP,
    last_success_at TIMESTAMP,
    last_new_item_at TIMESTAMP,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    last_error      VARCHAR
);
COMMENT ON TABLE feeds IS 'The feed list (imported from OPML) with the state needed for polite conditional GET.';
COMMENT ON COLUMN feeds.feed_id IS 'Surrogate key.';
COMMENT ON COLUMN feeds.url IS 'Feed URL as listed in the OPML (xmlUrl).';
COMMENT ON COLUMN feeds.title IS 'Title from the OPML, else from the feed itself.';
COMMENT ON COLUMN feeds.html_url IS 'Web site of the feed (OPML htmlUrl).';
COMMENT ON COLUMN feeds.category IS 'Category from the OPML (outline category or parent outline).';
COMMENT ON COLUMN feeds.active IS 'FALSE when removed from the feed list; kept for history.';
COMMENT ON COLUMN feeds.added_at IS 'When first imported, UTC.';
COMMENT ON COLUMN feeds.etag IS 'ETag of the last 200 response, sent back as If-None-Match.';
COMMENT ON COLUMN feeds.last_modified IS 'Last-Modified of the last 200 response, sent back as If-Modified-Since.';
COMMENT ON COLUMN feeds.last_fetched_at IS 'Last fetch attempt, UTC.';
COMMENT ON COLUMN feeds.last_success_at IS 'Last fetch that returned 200 or 304, UTC.';
COMMENT ON COLUMN feeds.last_new_item_at IS 'Last time the feed yielded an item not seen before, UTC.';
COMMENT ON COLUMN feeds.consecutive_failures IS 'Failed fetches since the last success (0 = healthy).';
COMMENT ON COLUMN feeds.last_error IS 'Reason of the last failure (timeout, http_404, parse_error …).';

CREATE TABLE feed_fetches (
    run_id          VARCHAR NOT NULL,
    feed_id         INTEGER NOT NULL,
    fetched_at      TIMESTAMP NOT NULL,
    status          VARCHAR NOT NULL,
    http_status     INTEGER,
    entries         INTEGER,
    new_items       INTEGER,
    seconds         DOUBLE,
    error           VARCHAR,
    detail          VARCHAR,
    PRIMARY KEY (run_id, feed_id)
);
COMMENT ON TABLE feed_fetches IS 'One row per feed per run: what the fetch returned.';
COMMENT ON COLUMN feed_fetches.run_id IS 'runs.run_id';
COMMENT ON COLUMN feed_fetches.feed_id IS 'feeds.feed_id';
COMMENT ON COLUMN feed_fetches.fetched_at IS 'When fetched, UTC.';
COMMENT ON COLUMN feed_fetches.status IS 'ok | not_modified | failed.';
COMMENT ON COLUMN feed_fetches.http_status IS 'HTTP status code, NULL when no response (timeout, blocked).';
COMMENT ON COLUMN feed_fetches.entries IS 'Entries with a usable link in the feed document.';
COMMENT ON COLUMN feed_fetches.new_items IS 'Entries that became new items.';
COMMENT ON COLUMN feed_fetches.seconds IS 'Wall-clock seconds of the fetch.';
COMMENT ON COLUMN feed_fetches.error IS 'Short reason when failed: timeout, http_404, too_large, not_a_feed, parse_error, blocked_address …';
COMMENT ON COLUMN feed_fetches.detail IS 'Human-readable detail naming the URL.';

CREATE TABLE items (
    item_id         VARCHAR PRIMARY KEY,
    canonical_url   VARCHAR NOT NULL UNIQUE,
    url             VARCHAR NOT NULL,
    guid            VARCHAR,
    feed_id         INTEGER NOT NULL,
    title           VARCHAR,
    summary         VARCHAR,
    author          VARCHAR,
    published_at    TIMESTAMP,
    first_seen_at   TIMESTAMP NOT NULL,
    run_id          VARCHAR NOT NULL
);
COMMENT ON TABLE items IS 'Feed entries, one per canonical URL; the feed''s own title/summary/date are kept even if the page fetch fails.';
COMMENT ON COLUMN items.item_id IS 'First 16 hex of sha1(canonical_url).';
COMMENT ON COLUMN items.canonical_url IS 'URL with tracking parameters (utm_*, fbclid …) and fragment removed, host lower-cased (courlan).';
COMMENT ON COLUMN items.url IS 'Link as given by the first feed that listed it.';
COMMENT ON COLUMN items.guid IS 'Feed GUID / Atom id.';
COMMENT ON COLUMN items.feed_id IS 'First feed that listed the item (feeds.feed_id).';
COMMENT ON COLUMN items.title IS 'Title from the feed.';
COMMENT ON COLUMN items.summary IS 'Summary from the feed, as plain text.';
COMMENT ON COLUMN items.author IS 'Author from the feed.';
COMMENT ON COLUMN items.published_at IS 'Publication date from the feed, UTC; NULL when absent or absurd.';
COMMENT ON COLUMN items.first_seen_at IS 'When survwatch first saw the item, UTC. Weeks in trend views and the digest count by this.';
COMMENT ON COLUMN items.run_id IS 'Run that first saw the item.';

CREATE TABLE outcomes (
    item_id         VARCHAR PRIMARY KEY,
    run_id          VARCHAR NOT NULL,
    outcome         VARCHAR NOT NULL,
    reason          VARCHAR NOT NULL,
    detail          VARCHAR,
    recorded_at     TIMESTAMP NOT NULL
);
COMMENT ON TABLE outcomes IS 'Exactly one final outcome per item. An item without a row here is pending (picked up by the next run).';
COMMENT ON COLUMN outcomes.item_id IS 'items.item_id';
COMMENT ON COLUMN outcomes.run_id IS 'Run that decided the outcome.';
COMMENT ON COLUMN outcomes.outcome IS 'stored | skipped | failed.';
COMMENT ON COLUMN outcomes.reason IS 'stored: article | feed_summary. skipped: not_an_article, duplicate_content, robots. failed: http_404 (any http_NNN), timeout, too_large, blocked_address, connection_error, extract_error …';
COMMENT ON COLUMN outcomes.detail IS 'Human-readable detail naming the URL.';
COMMENT ON COLUMN outcomes.recorded_at IS 'When recorded, UTC.';

CREATE TABLE articles (
    item_id         VARCHAR PRIMARY KEY,
    url             VARCHAR NOT NULL,
    final_url       VARCHAR,
    outlet          VARCHAR,
    http_status     INTEGER,
    fetched_at      TIMESTAMP NOT NULL,
    title           VARCHAR,
    author          VARCHAR,
    published_at    TIMESTAMP,
    site_name       VARCHAR,
    language        VARCHAR,
    text            VARCHAR NOT NULL,
    text_source     VARCHAR NOT NULL,
    word_count      INTEGER NOT NULL,
    content_hash    VARCHAR NOT NULL,
    cluster_id      VARCHAR NOT NULL,
    minhash         BLOB,
    raw_html_gz     BLOB,
    nlp_version     VARCHAR
);
COMMENT ON TABLE articles IS 'Extracted articles: text, metadata and the raw page (gzip) so later nlp versions can re-process without refetching.';
COMMENT ON COLUMN articles.item_id IS 'items.item_id';
COMMENT ON COLUMN articles.url IS 'Canonical URL of the item.';
COMMENT ON COLUMN articles.final_url IS 'URL after redirects.';
COMMENT ON COLUMN articles.outlet IS 'The outlet: host name of the final URL without www. (for a bare IP address, e.g. a local test web: the page''s site name or first path segment).';
COMMENT ON COLUMN articles.http_status IS 'HTTP status of the page fetch.';
COMMENT ON COLUMN articles.fetched_at IS 'When the page was fetched, UTC.';
COMMENT ON COLUMN articles.title IS 'Title extracted from the page, else the feed title.';
COMMENT ON COLUMN articles.author IS 'Author extracted from the page, else from the feed.';
COMMENT ON COLUMN articles.published_at IS 'Publication date from the page, else from the feed, UTC.';
COMMENT ON COLUMN articles.site_name IS 'Site name from page metadata (og:site_name …).';
COMMENT ON COLUMN articles.language IS 'ISO 639-1 language code from page metadata, NULL if unknown.';
COMMENT ON COLUMN articles.text IS 'Main text (trafilatura), or the feed summary when text_source = feed_summary.';
COMMENT ON COLUMN articles.text_source IS 'page | feed_summary (page refused or unavailable; the feed''s own summary was kept).';
COMMENT ON COLUMN articles.word_count IS 'Whitespace-separated words in text.';
COMMENT ON COLUMN articles.content_hash IS 'sha1 of the whitespace-normalised lower-cased text.';
COMMENT ON COLUMN articles.cluster_id IS 'Near-duplicate story cluster: syndicated copies share it (MinHash, Jaccard >= dedup_threshold). Equals item_id of the first copy seen.';
COMMENT ON COLUMN articles.minhash IS 'MinHash signature of 5-word shingles (128 x uint64, little-endian) used for clustering.';
COMMENT ON COLUMN articles.raw_html_gz IS 'Raw page bytes, gzip-compressed. NULL for feed_summary articles.';
COMMENT ON COLUMN articles.nlp_version IS 'nlp version that produced the current mentions/claims/deals of this article.';

CREATE TABLE mentions (
    item_id         VARCHAR NOT NULL,
    entity_type     VARCHAR NOT NULL,
    entity          VARCHAR NOT NULL,
    surface         VARCHAR,
    start_char      INTEGER,
    end_char        INTEGER,
    nlp_version     VARCHAR NOT NULL
);
COMMENT ON TABLE mentions IS 'Every vendor, country and technology mention found in an article.';
COMMENT ON COLUMN mentions.item_id IS 'articles.item_id';
COMMENT ON COLUMN mentions.entity_type IS 'vendor | country | technology.';
COMMENT ON COLUMN mentions.entity IS 'Canonical vendor name (seeds/vendors.yaml), ISO 3166-1 alpha-2 country code, or technology id (seeds/technologies.yaml).';
COMMENT ON COLUMN mentions.surface IS 'The text as written (alias, demonym, city …).';
COMMENT ON COLUMN mentions.start_char IS 'Character offset of the mention in articles.text (0-based).';
COMMENT ON COLUMN mentions.end_char IS 'End offset (exclusive).';
COMMENT ON COLUMN mentions.nlp_version IS 'Tagger version that found it.';

CREATE TABLE claims (
    item_id         VARCHAR NOT NULL,
    claim_no        INTEGER NOT NULL,
    sentence        VARCHAR NOT NULL,
    start_char      INTEGER,
    end_char        INTEGER,
    metric          VARCHAR,
    direction       VARCHAR,
    value           DOUBLE,
    unit            VARCHAR,
    place           VARCHAR,
    year            INTEGER,
    source          VARCHAR,
    hedged          BOOLEAN,
    nlp_version     VARCHAR NOT NULL,
    PRIMARY KEY (item_id, claim_no)
);
COMMENT ON TABLE claims IS 'Quantitative claims: one row per figure asserted in an article.';
COMMENT ON COLUMN claims.item_id IS 'articles.item_id';
COMMENT ON COLUMN claims.claim_no IS 'Order of the claim within the article (0-based).';
COMMENT ON COLUMN claims.sentence IS 'The sentence that carries the figure.';
COMMENT ON COLUMN claims.start_char IS 'Offset of the sentence in articles.text.';
COMMENT ON COLUMN claims.end_char IS 'End offset (exclusive).';
COMMENT ON COLUMN claims.metric IS 'What is measured, a few lower-case words (crime rate, false positives, contract value …).';
COMMENT ON COLUMN claims.direction IS 'increase | decrease | level.';
COMMENT ON COLUMN claims.value IS 'The figure with magnitudes resolved ($14 million = 14000000; one-third = 33.3; ranges: lower bound).';
COMMENT ON COLUMN claims.unit IS 'percent | ISO 4217 currency code (USD …) | count | another short unit word.';
COMMENT ON COLUMN claims.place IS 'ISO 3166-1 alpha-2 of the place the figure is about, NULL if none.';
COMMENT ON COLUMN claims.year IS 'Year the figure refers to if stated.';
COMMENT ON COLUMN claims.source IS 'Who asserts it (police, Huawei, Big Brother Watch …); NULL when no claimant is named.';
COMMENT ON COLUMN claims.hedged IS 'TRUE when hedged or distanced (claimed, reportedly, up to, about …).';
COMMENT ON COLUMN claims.nlp_version IS 'Tagger version.';

CREATE TABLE deals (
    item_id         VARCHAR NOT NULL,
    vendor          VARCHAR NOT NULL,
    country         VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,
    technology      VARCHAR,
    year            INTEGER,
    evidence        VARCHAR NOT NULL,
    nlp_version     VARCHAR NOT NULL,
    PRIMARY KEY (item_id, vendor, country, kind)
);
COMMENT ON TABLE deals IS 'Vendor -> country relations asserted by an article (not mere co-occurrence).';
COMMENT ON COLUMN deals.item_id IS 'articles.item_id';
COMMENT ON COLUMN deals.vendor IS 'Canonical vendor name.';
COMMENT ON COLUMN deals.country IS 'ISO 3166-1 alpha-2 of the buyer / host / banning country.';
COMMENT ON COLUMN deals.kind IS 'contract | supply | donation | loan | office | ban.';
COMMENT ON COLUMN deals.technology IS 'Technology id, NULL if not stated.';
COMMENT ON COLUMN deals.year IS 'Year of the deal if stated.';
COMMENT ON COLUMN deals.evidence IS 'The sentence asserting it.';
COMMENT ON COLUMN deals.nlp_version IS 'Tagger version.';

CREATE TABLE reference_stats (
    place           VARCHAR NOT NULL,
    metric          VARCHAR NOT NULL,
    period          VARCHAR NOT NULL,
    value           DOUBLE NOT NULL,
    unit            VARCHAR NOT NULL,
    source_url      VARCHAR NOT NULL,
    note            VARCHAR,
    loaded_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (place, metric, period, unit)
);
COMMENT ON TABLE reference_stats IS 'Analyst-loaded reference statistics (survwatch reference load FILE.csv) that claims are checked against.';
COMMENT ON COLUMN reference_stats.place IS 'ISO 3166-1 alpha-2.';
COMMENT ON COLUMN reference_stats.metric IS 'Metric in the same words as claims.metric (crime rate …).';
COMMENT ON COLUMN reference_stats.period IS 'Year (2019) or range (2015-2019) the value covers.';
COMMENT ON COLUMN reference_stats.value IS 'The reference figure.';
COMMENT ON COLUMN reference_stats.unit IS 'Same unit vocabulary as claims.unit.';
COMMENT ON COLUMN reference_stats.source_url IS 'Where the figure comes from.';
COMMENT ON COLUMN reference_stats.note IS 'Analyst note.';
COMMENT ON COLUMN reference_stats.loaded_at IS 'When loaded, UTC.';
