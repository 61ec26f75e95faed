-- 002: tables behind the analyst views and keyword search.
--   metric_families  groups metric wordings so the same claim is recognised across articles;
--   search_docs / search_terms  a BM25 keyword index maintained by warehouse.search.index_articles.

CREATE TABLE metric_families (
    metric          VARCHAR PRIMARY KEY,
    family          VARCHAR NOT NULL
);
COMMENT ON TABLE metric_families IS 'Synonyms for claim metrics: a metric wording (after metric_norm) -> its metric family. Metrics not listed are their own family (metric_norm of the wording). Add rows to merge more wordings.';
COMMENT ON COLUMN metric_families.metric IS 'Metric wording, compared after metric_norm() (lower-case, punctuation to spaces, last word singularised), e.g. false positive rate.';
COMMENT ON COLUMN metric_families.family IS 'Metric family the wording belongs to, e.g. false positive. Claims and reference_stats are compared within a family.';

INSERT INTO metric_families (metric, family) VALUES
    ('crime', 'crime rate'), ('crime rate', 'crime rate'), ('crime level', 'crime rate'),
    ('overall crime', 'crime rate'), ('reported crime', 'crime rate'), ('crime incidence', 'crime rate'),
    ('violent crime', 'violent crime'), ('violent crime rate', 'violent crime'),
    ('false positive', 'false positive'), ('false positive rate', 'false positive'),
    ('false match', 'false positive'), ('false match rate', 'false positive'),
    ('false alert', 'false positive'), ('misidentification', 'false positive'),
    ('misidentification rate', 'false positive'),
    ('false negative', 'false negative'), ('false negative rate', 'false negative'),
    ('error', 'error rate'), ('error rate', 'error rate'),
    ('accuracy', 'accuracy'), ('accuracy rate', 'accuracy'), ('match accuracy', 'accuracy'),
    ('murder', 'homicide'), ('murder rate', 'homicide'), ('homicide', 'homicide'), ('homicide rate', 'homicide'),
    ('robbery', 'robbery'), ('robbery rate', 'robbery'),
    ('theft', 'theft'), ('theft rate', 'theft'),
    ('arrest', 'arrest'), ('arrest rate', 'arrest'),
    ('camera', 'camera'), ('cctv camera', 'camera'), ('surveillance camera', 'camera'), ('cctv', 'camera'),
    ('contract value', 'contract value'), ('contract', 'contract value'), ('deal value', 'contract value'),
    ('deal', 'contract value'),
    ('loan value', 'loan value'), ('loan', 'loan value'),
    ('response time', 'response time'), ('emergency response time', 'response time'),
    ('police response time', 'response time'),
    ('budget', 'budget'), ('surveillance budget', 'budget'),
    ('people scanned', 'people scanned'), ('faces scanned', 'people scanned'),
    ('phones infected', 'phones infected'), ('devices infected', 'phones infected');

CREATE TABLE search_docs (
    item_id         VARCHAR PRIMARY KEY,
    doc_len         INTEGER NOT NULL,
    indexed_at      TIMESTAMP NOT NULL
);
COMMENT ON TABLE search_docs IS 'Articles in the keyword index (warehouse.search.index_articles), with their weighted length for BM25.';
COMMENT ON COLUMN search_docs.item_id IS 'articles.item_id';
COMMENT ON COLUMN search_docs.doc_len IS 'Indexed terms in text plus title terms counted title_weight (3) times: the BM25 document length.';
COMMENT ON COLUMN search_docs.indexed_at IS 'When (re)indexed, UTC.';

CREATE TABLE search_terms (
    term            VARCHAR NOT NULL,
    item_id         VARCHAR NOT NULL,
    tf              INTEGER NOT NULL
);
COMMENT ON TABLE search_terms IS 'Postings of the keyword index: one row per term per article (terms from search_terms_of: lower-cased, accents stripped, stop words dropped, plurals stemmed).';
COMMENT ON COLUMN search_terms.term IS 'Normalised term (search_terms_of).';
COMMENT ON COLUMN search_terms.item_id IS 'articles.item_id';
COMMENT ON COLUMN search_terms.tf IS 'Weighted term frequency: occurrences in the text + 3 x occurrences in the title.';

-- Rollups: per-week pre-aggregations behind the mention views (deduplicating 10M mentions per article
-- takes seconds, reading these takes milliseconds) and a denormalised claims table behind the claim
-- views. Maintained by warehouse.search.index_articles(con, item_ids) for the weeks / articles of the
-- given items (call it after storing or re-tagging a batch); warehouse.search.reindex_all rebuilds all.
-- Data check warehouse/queries/checks_rollups.sql compares them with the base tables.

CREATE TABLE rollup_entity_weeks (
    week_start      DATE NOT NULL,
    entity_type     VARCHAR NOT NULL,
    entity          VARCHAR NOT NULL,
    articles        INTEGER NOT NULL,
    outlets         INTEGER NOT NULL,
    clusters        INTEGER NOT NULL,
    PRIMARY KEY (week_start, entity_type, entity)
);
COMMENT ON TABLE rollup_entity_weeks IS 'Rollup behind mentions_weekly and trending: per ISO week (of items.first_seen_at) and entity, distinct articles, outlets and story clusters. Maintained by warehouse.search.index_articles.';
COMMENT ON COLUMN rollup_entity_weeks.week_start IS 'Monday of the ISO week of items.first_seen_at.';
COMMENT ON COLUMN rollup_entity_weeks.entity_type IS 'vendor | country | technology.';
COMMENT ON COLUMN rollup_entity_weeks.entity IS 'Canonical entity (mentions.entity).';
COMMENT ON COLUMN rollup_entity_weeks.articles IS 'Articles first seen that month mentioning the entity.';
COMMENT ON COLUMN rollup_entity_weeks.outlets IS 'Distinct outlets among them.';
COMMENT ON COLUMN rollup_entity_weeks.clusters IS 'Distinct story clusters among them.';

CREATE TABLE rollup_vendor_country_months (
    month_start     DATE NOT NULL,
    vendor          VARCHAR NOT NULL,
    country         VARCHAR NOT NULL,
    co_mention_articles INTEGER NOT NULL,
    deal_articles   INTEGER NOT NULL,
    contracts       INTEGER NOT NULL,
    supplies        INTEGER NOT NULL,
    donations       INTEGER NOT NULL,
    loans           INTEGER NOT NULL,
    offices         INTEGER NOT NULL,
    bans            INTEGER NOT NULL,
    technologies    VARCHAR[] NOT NULL,
    first_seen_at   TIMESTAMP NOT NULL,
    last_seen_at    TIMESTAMP NOT NULL,
    deal_urls       VARCHAR[] NOT NULL,
    co_mention_url  VARCHAR,
    PRIMARY KEY (month_start, vendor, country)
);
COMMENT ON TABLE rollup_vendor_country_months IS 'Rollup behind vendor_country: per calendar month (of items.first_seen_at) and vendor x country, co-mention and deal article counts (months, not weeks: fewer rows to read). Every article belongs to one month, so monthly counts add up. Maintained by warehouse.search.index_articles.';
COMMENT ON COLUMN rollup_vendor_country_months.month_start IS 'First day of the month of items.first_seen_at.';
COMMENT ON COLUMN rollup_vendor_country_months.vendor IS 'Canonical vendor name.';
COMMENT ON COLUMN rollup_vendor_country_months.country IS 'ISO 3166-1 alpha-2.';
COMMENT ON COLUMN rollup_vendor_country_months.co_mention_articles IS 'Articles that month mentioning both.';
COMMENT ON COLUMN rollup_vendor_country_months.deal_articles IS 'Articles that month asserting a deal between them.';
COMMENT ON COLUMN rollup_vendor_country_months.contracts IS 'Articles that month asserting a contract.';
COMMENT ON COLUMN rollup_vendor_country_months.supplies IS 'Articles that month asserting a supply.';
COMMENT ON COLUMN rollup_vendor_country_months.donations IS 'Articles that month asserting a donation.';
COMMENT ON COLUMN rollup_vendor_country_months.loans IS 'Articles that month asserting a loan.';
COMMENT ON COLUMN rollup_vendor_country_months.offices IS 'Articles that month asserting an office.';
COMMENT ON COLUMN rollup_vendor_country_months.bans IS 'Articles that month asserting a ban.';
COMMENT ON COLUMN rollup_vendor_country_months.technologies IS 'Technology ids named in that month''s deals.';
COMMENT ON COLUMN rollup_vendor_country_months.first_seen_at IS 'Earliest first_seen_at of a co-mention or deal article that month.';
COMMENT ON COLUMN rollup_vendor_country_months.last_seen_at IS 'Latest first_seen_at of a co-mention or deal article that month.';
COMMENT ON COLUMN rollup_vendor_country_months.deal_urls IS 'Up to 5 deal article URLs of that month, newest first.';
COMMENT ON COLUMN rollup_vendor_country_months.co_mention_url IS 'Newest co-mention article URL of that month (NULL when none).';

CREATE TABLE rollup_claims (
    item_id         VARCHAR NOT NULL,
    claim_no        INTEGER NOT NULL,
    metric          VARCHAR,
    place           VARCHAR,
    unit            VARCHAR,
    direction       VARCHAR,
    value           DOUBLE,
    year            INTEGER,
    claimant        VARCHAR,
    hedged          BOOLEAN,
    sentence        VARCHAR NOT NULL,
    outlet          VARCHAR,
    article_url     VARCHAR,
    title           VARCHAR,
    published_at    TIMESTAMP,
    first_seen_at   TIMESTAMP,
    cluster_id      VARCHAR,
    appeared_at     TIMESTAMP,
    PRIMARY KEY (item_id, claim_no)
);
COMMENT ON TABLE rollup_claims IS 'Rollup behind claims_ledger, claim_checks and rollup_claim_groups: claims with their article context, so those views need no join with the 1M-row article tables. Maintained by warehouse.search.index_articles.';
COMMENT ON COLUMN rollup_claims.item_id IS 'claims.item_id';
COMMENT ON COLUMN rollup_claims.claim_no IS 'claims.claim_no';
COMMENT ON COLUMN rollup_claims.metric IS 'claims.metric';
COMMENT ON COLUMN rollup_claims.place IS 'claims.place';
COMMENT ON COLUMN rollup_claims.unit IS 'claims.unit';
COMMENT ON COLUMN rollup_claims.direction IS 'claims.direction';
COMMENT ON COLUMN rollup_claims.value IS 'claims.value';
COMMENT ON COLUMN rollup_claims.year IS 'claims.year';
COMMENT ON COLUMN rollup_claims.claimant IS 'claims.source';
COMMENT ON COLUMN rollup_claims.hedged IS 'claims.hedged';
COMMENT ON COLUMN rollup_claims.sentence IS 'claims.sentence';
COMMENT ON COLUMN rollup_claims.title IS 'articles.title';
COMMENT ON COLUMN rollup_claims.published_at IS 'articles.published_at';
COMMENT ON COLUMN rollup_claims.first_seen_at IS 'items.first_seen_at';
COMMENT ON COLUMN rollup_claims.outlet IS 'articles.outlet';
COMMENT ON COLUMN rollup_claims.article_url IS 'articles.url';
COMMENT ON COLUMN rollup_claims.cluster_id IS 'articles.cluster_id';
COMMENT ON COLUMN rollup_claims.appeared_at IS 'coalesce(articles.published_at, items.first_seen_at): when the claim appeared.';

CREATE TABLE rollup_claim_groups (
    spread_id       VARCHAR NOT NULL,
    metric_family   VARCHAR NOT NULL,
    place           VARCHAR,
    unit            VARCHAR,
    direction       VARCHAR,
    value           DOUBLE NOT NULL,
    min_value       DOUBLE NOT NULL,
    max_value       DOUBLE NOT NULL,
    year            INTEGER,
    claims          INTEGER NOT NULL,
    articles        INTEGER NOT NULL,
    outlets         INTEGER NOT NULL,
    clusters        INTEGER NOT NULL,
    articles_without_claimant INTEGER NOT NULL,
    claimants       VARCHAR[] NOT NULL,
    first_item_id   VARCHAR NOT NULL,
    first_claim_no  INTEGER NOT NULL,
    first_outlet    VARCHAR,
    first_url       VARCHAR,
    first_claimant  VARCHAR,
    first_appeared_at TIMESTAMP,
    last_appeared_at TIMESTAMP
);
COMMENT ON TABLE rollup_claim_groups IS 'Rollup behind claim_spread and claim_conflicts: one row per group of the same claim (see claim_spread). Recomputed by warehouse.search.index_articles for every (metric family, place, unit, direction) its items'' claims touch.';
COMMENT ON COLUMN rollup_claim_groups.spread_id IS 'Stable id: hash of family, place, unit, direction and the smallest value.';
COMMENT ON COLUMN rollup_claim_groups.metric_family IS 'Metric family.';
COMMENT ON COLUMN rollup_claim_groups.place IS 'ISO2 place or NULL.';
COMMENT ON COLUMN rollup_claim_groups.unit IS 'Unit.';
COMMENT ON COLUMN rollup_claim_groups.direction IS 'increase | decrease | level.';
COMMENT ON COLUMN rollup_claim_groups.value IS 'Figure as first published.';
COMMENT ON COLUMN rollup_claim_groups.min_value IS 'Smallest figure in the group.';
COMMENT ON COLUMN rollup_claim_groups.max_value IS 'Largest figure in the group.';
COMMENT ON COLUMN rollup_claim_groups.year IS 'Most common stated year.';
COMMENT ON COLUMN rollup_claim_groups.claims IS 'Claims in the group.';
COMMENT ON COLUMN rollup_claim_groups.articles IS 'Distinct articles.';
COMMENT ON COLUMN rollup_claim_groups.outlets IS 'Distinct outlets.';
COMMENT ON COLUMN rollup_claim_groups.clusters IS 'Distinct story clusters.';
COMMENT ON COLUMN rollup_claim_groups.articles_without_claimant IS 'Articles repeating it without a claimant.';
COMMENT ON COLUMN rollup_claim_groups.claimants IS 'Distinct named claimants, sorted.';
COMMENT ON COLUMN rollup_claim_groups.first_item_id IS 'Article of the first appearance.';
COMMENT ON COLUMN rollup_claim_groups.first_claim_no IS 'claims.claim_no of the first appearance.';
COMMENT ON COLUMN rollup_claim_groups.first_outlet IS 'Outlet of the first appearance.';
COMMENT ON COLUMN rollup_claim_groups.first_url IS 'URL of the first appearance.';
COMMENT ON COLUMN rollup_claim_groups.first_claimant IS 'Claimant at the first appearance.';
COMMENT ON COLUMN rollup_claim_groups.first_appeared_at IS 'First appearance, UTC.';
COMMENT ON COLUMN rollup_claim_groups.last_appeared_at IS 'Latest appearance, UTC.';
