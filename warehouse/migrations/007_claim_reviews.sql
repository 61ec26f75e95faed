-- 007: claim review. An analyst's verdict on a claim, kept by claim key (see warehouse/views/29_claim_verdicts.sql)
-- and the reviewed figure, never by claim id: claims are deleted and re-inserted by `reprocess`, so a verdict
-- follows every claim (now or later) with the same metric family, place, unit and direction whose value is within
-- claim_tolerance of the reviewed value. A changed verdict is a new row; the newest row per key is the current one.

-- No sequence, no CHECK constraints: DuckLake has neither, and DuckDB 1.5.5 cannot replay a WAL holding a CHECK that
-- calls a function (a killed run left the work file unopenable). review_id is max + 1, set by review_insert; the
-- verdict and evidence URL are validated by warehouse.reviews before any write.
CREATE TABLE claim_reviews (
    review_id           BIGINT NOT NULL PRIMARY KEY,
    claim_key           VARCHAR NOT NULL,
    metric_family       VARCHAR NOT NULL,
    place               VARCHAR,
    unit                VARCHAR,
    direction           VARCHAR,
    value               DOUBLE NOT NULL,
    verdict             VARCHAR NOT NULL,
    evidence_url        VARCHAR,
    reviewer            VARCHAR NOT NULL,
    note                VARCHAR,
    reviewed_at         TIMESTAMP NOT NULL,
    claim_text          VARCHAR,
    first_claimant      VARCHAR,
    first_url           VARCHAR,
    first_outlet        VARCHAR,
    first_appeared_at   TIMESTAMP,
    articles_at_review  INTEGER
);
COMMENT ON TABLE claim_reviews IS 'Verdicts of analysts on claims (survwatch review set), with history: every verdict is a row, the newest row per claim_key is the current verdict (view claim_review_current). A verdict applies to every claim with equal metric family, place, unit and direction whose value is within claim_tolerance of value.';
COMMENT ON COLUMN claim_reviews.review_id IS 'Row id, increasing in recording order (ties on reviewed_at are broken by it).';
COMMENT ON COLUMN claim_reviews.claim_key IS 'Stable claim key: claim_key(metric_family, place, unit, direction, value) at review time (macro in 29_claim_verdicts.sql).';
COMMENT ON COLUMN claim_reviews.metric_family IS 'Metric family of the reviewed claim (claims_ledger.metric_family).';
COMMENT ON COLUMN claim_reviews.place IS 'ISO2 place of the reviewed claim, NULL when none.';
COMMENT ON COLUMN claim_reviews.unit IS 'Unit of the reviewed figure.';
COMMENT ON COLUMN claim_reviews.direction IS 'increase | decrease | level.';
COMMENT ON COLUMN claim_reviews.value IS 'The reviewed figure; claims within claim_tolerance of it share the verdict.';
COMMENT ON COLUMN claim_reviews.verdict IS 'supported | contradicted | misleading | unverifiable.';
COMMENT ON COLUMN claim_reviews.evidence_url IS 'http(s) URL of the evidence (statistics, report, correction); NULL when none.';
COMMENT ON COLUMN claim_reviews.reviewer IS 'Who recorded the verdict (SURVWATCH_REVIEWER or --reviewer).';
COMMENT ON COLUMN claim_reviews.note IS 'Free-text reasoning of the reviewer.';
COMMENT ON COLUMN claim_reviews.reviewed_at IS 'When the verdict was recorded (UTC).';
COMMENT ON COLUMN claim_reviews.claim_text IS 'The claim as reviewed: sentence of its first appearance (kept for the ClaimReview export even if the articles are re-tagged).';
COMMENT ON COLUMN claim_reviews.first_claimant IS 'Claimant named at the first appearance at review time, NULL if none.';
COMMENT ON COLUMN claim_reviews.first_url IS 'Article URL of the first appearance at review time.';
COMMENT ON COLUMN claim_reviews.first_outlet IS 'Outlet of the first appearance at review time.';
COMMENT ON COLUMN claim_reviews.first_appeared_at IS 'First appearance (UTC) at review time.';
COMMENT ON COLUMN claim_reviews.articles_at_review IS 'Articles repeating the claim when the verdict was recorded.';
