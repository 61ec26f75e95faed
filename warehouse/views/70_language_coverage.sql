-- language_coverage: which languages the warehouse holds and how each was tagged. Claims and deals come only from
-- languages with a full tagger; the others give vendor and country mentions only (articles.tagging).
CREATE OR REPLACE VIEW language_coverage AS
SELECT
    coalesce(a.language, 'unknown')                         AS language,
    coalesce(a.tagging, 'untagged')                         AS tagging,
    count(*)                                                AS articles,
    count(DISTINCT a.outlet)                                AS outlets,
    round(avg(a.language_confidence), 3)                    AS mean_confidence,
    count(*) FILTER (WHERE a.language_confidence < 0.5)     AS low_confidence_articles,
    min(i.first_seen_at)                                    AS first_seen_at,
    max(i.first_seen_at)                                    AS last_seen_at
FROM articles a
JOIN items i USING (item_id)
GROUP BY ALL;
COMMENT ON VIEW language_coverage IS 'One row per article language and tagging mode: how much of the warehouse each language is, and whether it got the full tagger (vendors, countries, technologies, claims, deals) or entities only (vendor names and safe country names).';
COMMENT ON COLUMN language_coverage.language IS 'ISO 639-1 language detected from the text (unknown for articles tagged before language detection).';
COMMENT ON COLUMN language_coverage.tagging IS 'full | entities_only | untagged (tagged before nlp 0.3).';
COMMENT ON COLUMN language_coverage.articles IS 'Articles in that language and mode.';
COMMENT ON COLUMN language_coverage.outlets IS 'Distinct outlets among them.';
COMMENT ON COLUMN language_coverage.mean_confidence IS 'Mean detector confidence (0-1).';
COMMENT ON COLUMN language_coverage.low_confidence_articles IS 'Articles whose language was detected with confidence under 0.5 (short or mixed texts): worth a look.';
COMMENT ON COLUMN language_coverage.first_seen_at IS 'First time survwatch saw an article in that language, UTC.';
COMMENT ON COLUMN language_coverage.last_seen_at IS 'Last time, UTC.';
