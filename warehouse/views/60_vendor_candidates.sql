-- unknown_vendors: candidate vendors (vendor_candidates) aggregated over articles, most widely reported first.
-- Names are grouped case-insensitively (the most frequent spelling is shown). Dates are items.first_seen_at
-- (when survwatch first saw the article, as in the other views) and articles.published_at. Candidates of
-- articles that no longer exist are not counted. The sample evidence is the sentence of the earliest article.
CREATE OR REPLACE VIEW unknown_vendors AS
WITH c AS (
    SELECT v.item_id, v.name, v.evidence, v.cue, a.outlet, a.cluster_id, a.url, a.published_at, i.first_seen_at
    FROM vendor_candidates v
    JOIN articles a ON a.item_id = v.item_id
    JOIN items i ON i.item_id = v.item_id
)
SELECT
    mode(name)                                                           AS name,
    count(DISTINCT item_id)                                              AS articles,
    count(DISTINCT outlet)                                               AS outlets,
    count(DISTINCT cluster_id)                                           AS clusters,
    min(first_seen_at)                                                   AS first_seen_at,
    max(first_seen_at)                                                   AS last_seen_at,
    min(published_at)                                                    AS first_published_at,
    max(published_at)                                                    AS last_published_at,
    list_sort(list_distinct(list(cue)))                                  AS cues,
    arg_min(evidence, (first_seen_at, item_id))                          AS sample_evidence,
    arg_min(url, (first_seen_at, item_id))                               AS sample_url
FROM c
GROUP BY lower(name)
ORDER BY articles DESC, outlets DESC, last_seen_at DESC, name;
COMMENT ON VIEW unknown_vendors IS 'Candidate vendors not in the gazetteer (vendor_candidates), one row per name (case-insensitive): articles, outlets and story clusters naming it as a supplier, first/last seen, and a sample evidence sentence. Ordered by articles, most first. Names later added to seeds/vendors.yaml drop out once articles are re-tagged (`survwatch reprocess --all`).';
COMMENT ON COLUMN unknown_vendors.name IS 'Normalised organisation name (most frequent spelling among its rows).';
COMMENT ON COLUMN unknown_vendors.articles IS 'Articles presenting it as a supplier.';
COMMENT ON COLUMN unknown_vendors.outlets IS 'Distinct outlets (articles.outlet) among them.';
COMMENT ON COLUMN unknown_vendors.clusters IS 'Distinct story clusters (articles.cluster_id) among them: syndicated copies count once.';
COMMENT ON COLUMN unknown_vendors.first_seen_at IS 'Earliest items.first_seen_at of those articles, UTC.';
COMMENT ON COLUMN unknown_vendors.last_seen_at IS 'Latest items.first_seen_at of those articles, UTC.';
COMMENT ON COLUMN unknown_vendors.first_published_at IS 'Earliest articles.published_at of those articles, UTC (NULL when none has a date).';
COMMENT ON COLUMN unknown_vendors.last_published_at IS 'Latest articles.published_at of those articles, UTC (NULL when none has a date).';
COMMENT ON COLUMN unknown_vendors.cues IS 'Distinct rules that found it (vendor_candidates.cue), sorted.';
COMMENT ON COLUMN unknown_vendors.sample_evidence IS 'Evidence sentence from the earliest article (by first_seen_at).';
COMMENT ON COLUMN unknown_vendors.sample_url IS 'URL of that article.';
