-- One vendor's countries: co-mentions, deals by kind and evidence. Parameter: --param vendor=NAME (canonical name, e.g. Hikvision).
SELECT vendor, country, deal_articles, contracts, supplies, donations, loans, offices, bans,
       co_mention_articles, technologies, first_seen_at, last_seen_at, evidence_urls
FROM vendor_country
WHERE lower(vendor) = lower($vendor)
ORDER BY deal_articles DESC, co_mention_articles DESC, country
