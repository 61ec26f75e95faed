-- vendor_country: every vendor x country pair that is co-mentioned in an article or linked by a deal.
-- Reads the rollup rollup_vendor_country_months (maintained by warehouse.search.index_articles).
CREATE OR REPLACE VIEW vendor_country AS
WITH pairs AS (
    SELECT vendor, country,
           sum(co_mention_articles)                                   AS co_mention_articles,
           sum(deal_articles)                                         AS deal_articles,
           sum(contracts)                                             AS contracts,
           sum(supplies)                                              AS supplies,
           sum(donations)                                             AS donations,
           sum(loans)                                                 AS loans,
           sum(offices)                                               AS offices,
           sum(bans)                                                  AS bans,
           coalesce(list_sort(list_distinct(flatten(list(technologies) FILTER (WHERE len(technologies) > 0)))), []) AS technologies,
           min(first_seen_at)                                         AS first_seen_at,
           max(last_seen_at)                                          AS last_seen_at,
           -- deal URLs of the 5 newest months that have any are enough for the 5 newest deal URLs
           coalesce(flatten(max_by(deal_urls, month_start, 5) FILTER (WHERE len(deal_urls) > 0)), []) AS deal_urls,
           coalesce(max_by(co_mention_url, month_start, 5) FILTER (WHERE co_mention_url IS NOT NULL), []) AS co_urls
    FROM rollup_vendor_country_months
    GROUP BY vendor, country
)
SELECT vendor, country,
       CAST(co_mention_articles AS BIGINT) AS co_mention_articles, CAST(deal_articles AS BIGINT) AS deal_articles,
       CAST(contracts AS BIGINT) AS contracts, CAST(supplies AS BIGINT) AS supplies,
       CAST(donations AS BIGINT) AS donations, CAST(loans AS BIGINT) AS loans,
       CAST(offices AS BIGINT) AS offices, CAST(bans AS BIGINT) AS bans,
       technologies, first_seen_at, last_seen_at,
       list_concat(deal_urls[1:5], list_filter(co_urls, lambda u: NOT list_contains(deal_urls, u)))[1:5] AS evidence_urls
FROM pairs;
COMMENT ON VIEW vendor_country IS 'Vendor x country: articles naming both, deals asserted by articles (one count column per deals.kind), first/last seen and evidence URLs. Pairs with either a co-mention or a deal appear.';
COMMENT ON COLUMN vendor_country.vendor IS 'Canonical vendor name.';
COMMENT ON COLUMN vendor_country.country IS 'ISO 3166-1 alpha-2.';
COMMENT ON COLUMN vendor_country.co_mention_articles IS 'Articles mentioning both the vendor and the country (anywhere in the text).';
COMMENT ON COLUMN vendor_country.deal_articles IS 'Articles asserting at least one deal between them.';
COMMENT ON COLUMN vendor_country.contracts IS 'Articles asserting a deal of kind contract.';
COMMENT ON COLUMN vendor_country.supplies IS 'Articles asserting a deal of kind supply.';
COMMENT ON COLUMN vendor_country.donations IS 'Articles asserting a deal of kind donation.';
COMMENT ON COLUMN vendor_country.loans IS 'Articles asserting a deal of kind loan.';
COMMENT ON COLUMN vendor_country.offices IS 'Articles asserting a deal of kind office.';
COMMENT ON COLUMN vendor_country.bans IS 'Articles asserting a deal of kind ban (the country banned/sanctioned the vendor).';
COMMENT ON COLUMN vendor_country.technologies IS 'Technology ids named in the deals, sorted (empty when none).';
COMMENT ON COLUMN vendor_country.first_seen_at IS 'Earliest date of a co-mention or deal article, UTC: items.first_seen_at, or articles.dated_at (publication date) for backfilled articles.';
COMMENT ON COLUMN vendor_country.last_seen_at IS 'Latest date of a co-mention or deal article, UTC: items.first_seen_at, or articles.dated_at (publication date) for backfilled articles.';
COMMENT ON COLUMN vendor_country.evidence_urls IS 'Up to 5 article URLs: the newest deal articles first, then the newest co-mention article of each of the most recent months with one.';
