-- claims_ledger: one row per claim with its article context and metric family.
-- Reads the rollup rollup_claims (claims joined with articles and items; maintained by
-- warehouse.search.index_articles); verdicts from claim_verdicts (29_claim_verdicts.sql).
CREATE OR REPLACE VIEW claims_ledger AS
SELECT
    c.item_id, c.claim_no, c.value, c.unit, c.direction, c.metric, f.metric_family, c.place, c.year,
    c.claimant, c.hedged, c.sentence, c.article_url, c.outlet, c.title, c.published_at, c.first_seen_at,
    c.cluster_id, c.language,
    v.claim_key AS verdict_key, v.verdict, v.evidence_url, v.reviewed_at
FROM rollup_claims c
LEFT JOIN metric_family_map f ON f.metric = c.metric
LEFT JOIN claim_verdicts v ON v.item_id = c.item_id AND v.claim_no = c.claim_no;
COMMENT ON VIEW claims_ledger IS 'One row per quantitative claim with the article it appeared in and its metric family.';
COMMENT ON COLUMN claims_ledger.item_id IS 'articles.item_id';
COMMENT ON COLUMN claims_ledger.claim_no IS 'Order of the claim within the article (0-based).';
COMMENT ON COLUMN claims_ledger.value IS 'The figure (claims.value).';
COMMENT ON COLUMN claims_ledger.unit IS 'percent | ISO 4217 code | count | other unit word.';
COMMENT ON COLUMN claims_ledger.direction IS 'increase | decrease | level.';
COMMENT ON COLUMN claims_ledger.metric IS 'Metric as tagged (claims.metric).';
COMMENT ON COLUMN claims_ledger.metric_family IS 'Metric family: metric_families.family for the metric_norm() form of the metric, else that form itself.';
COMMENT ON COLUMN claims_ledger.place IS 'ISO2 of the place the figure is about, NULL if none.';
COMMENT ON COLUMN claims_ledger.year IS 'Year the figure refers to, if stated.';
COMMENT ON COLUMN claims_ledger.claimant IS 'Who asserts it (claims.source); NULL when the article names no claimant.';
COMMENT ON COLUMN claims_ledger.hedged IS 'TRUE when hedged or distanced (claimed, reportedly, up to …).';
COMMENT ON COLUMN claims_ledger.sentence IS 'The sentence carrying the figure.';
COMMENT ON COLUMN claims_ledger.article_url IS 'Canonical URL of the article.';
COMMENT ON COLUMN claims_ledger.outlet IS 'Outlet host name (articles.outlet).';
COMMENT ON COLUMN claims_ledger.title IS 'Article title.';
COMMENT ON COLUMN claims_ledger.published_at IS 'Publication date of the article, UTC.';
COMMENT ON COLUMN claims_ledger.first_seen_at IS 'When survwatch first saw the article, UTC.';
COMMENT ON COLUMN claims_ledger.cluster_id IS 'Story cluster of the article (syndicated copies share it).';
COMMENT ON COLUMN claims_ledger.language IS 'Language of the article, detected from its text (ISO 639-1); claims come only from languages with a full tagger.';
COMMENT ON COLUMN claims_ledger.verdict_key IS 'claim_key of the current verdict covering the claim (claim_verdicts), NULL when unreviewed.';
COMMENT ON COLUMN claims_ledger.verdict IS 'Current verdict: supported | contradicted | misleading | unverifiable; NULL when unreviewed.';
COMMENT ON COLUMN claims_ledger.evidence_url IS 'Evidence URL of the verdict.';
COMMENT ON COLUMN claims_ledger.reviewed_at IS 'When the verdict was recorded (UTC).';
