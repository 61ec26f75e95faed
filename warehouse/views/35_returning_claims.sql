-- returning_claims: a claim whose current verdict is contradicted or misleading, repeated by an article that came
-- after the verdict. "After" = survwatch first saw the article after the verdict was recorded AND the article was
-- published (when it says) on or after the day of the verdict. The first part makes the list independent of
-- re-runs and `reprocess --all` (items.first_seen_at is never rewritten); the second keeps a backfill of old
-- articles, which the reviewer could not have seen but which are not news, out of it (they are in review show).
-- A new verdict on the key restarts the clock.
CREATE OR REPLACE VIEW returning_claims AS
SELECT r.claim_key, r.verdict, r.evidence_url, r.reviewer, r.note, r.reviewed_at,
       r.metric_family, r.place, r.unit, r.direction, r.value AS reviewed_value,
       c.value, c.item_id, c.claim_no, c.sentence, c.claimant, c.hedged, c.article_url, c.outlet, c.title,
       c.published_at, c.first_seen_at, c.cluster_id
FROM claims_ledger c
JOIN claim_review_current r ON r.claim_key = c.verdict_key
WHERE r.verdict IN ('contradicted', 'misleading')
  AND c.first_seen_at > r.reviewed_at
  AND coalesce(c.published_at, c.first_seen_at) >= date_trunc('day', r.reviewed_at);
COMMENT ON VIEW returning_claims IS 'Claims with a contradicted or misleading current verdict repeated by an article first seen after the verdict and published on or after its day: false claims that came back.';
COMMENT ON COLUMN returning_claims.claim_key IS 'Key of the verdict.';
COMMENT ON COLUMN returning_claims.verdict IS 'contradicted | misleading.';
COMMENT ON COLUMN returning_claims.evidence_url IS 'Evidence URL of the verdict.';
COMMENT ON COLUMN returning_claims.reviewer IS 'Reviewer of the verdict.';
COMMENT ON COLUMN returning_claims.note IS 'Reviewer''s note.';
COMMENT ON COLUMN returning_claims.reviewed_at IS 'When the verdict was recorded (UTC).';
COMMENT ON COLUMN returning_claims.metric_family IS 'Metric family.';
COMMENT ON COLUMN returning_claims.place IS 'ISO2 place, NULL when none.';
COMMENT ON COLUMN returning_claims.unit IS 'Unit of the figure.';
COMMENT ON COLUMN returning_claims.direction IS 'increase | decrease | level.';
COMMENT ON COLUMN returning_claims.reviewed_value IS 'The reviewed figure.';
COMMENT ON COLUMN returning_claims.value IS 'The figure as the new article states it.';
COMMENT ON COLUMN returning_claims.item_id IS 'articles.item_id of the new article.';
COMMENT ON COLUMN returning_claims.claim_no IS 'claim_no in the new article.';
COMMENT ON COLUMN returning_claims.sentence IS 'The sentence repeating the claim.';
COMMENT ON COLUMN returning_claims.claimant IS 'Claimant named by the new article, NULL if none.';
COMMENT ON COLUMN returning_claims.hedged IS 'TRUE when the new article hedges the figure.';
COMMENT ON COLUMN returning_claims.article_url IS 'URL of the new article.';
COMMENT ON COLUMN returning_claims.outlet IS 'Outlet of the new article.';
COMMENT ON COLUMN returning_claims.title IS 'Title of the new article.';
COMMENT ON COLUMN returning_claims.published_at IS 'Publication date of the new article, UTC.';
COMMENT ON COLUMN returning_claims.first_seen_at IS 'When survwatch first saw the new article, UTC.';
COMMENT ON COLUMN returning_claims.cluster_id IS 'Story cluster of the new article.';
