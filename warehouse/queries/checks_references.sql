-- Data check: referential integrity, returning orphans (mentions/claims/deals/vendor_candidates -> articles, articles/outcomes -> items, items -> feeds, stored outcome <-> article).
SELECT 'mentions -> articles' AS check_name, 'mentions' AS table_name, m.item_id AS key, m.entity AS detail
FROM mentions m ANTI JOIN articles a ON a.item_id = m.item_id
UNION ALL
SELECT 'claims -> articles', 'claims', c.item_id || '#' || c.claim_no, c.metric
FROM claims c ANTI JOIN articles a ON a.item_id = c.item_id
UNION ALL
SELECT 'deals -> articles', 'deals', d.item_id, d.vendor || '-' || d.country
FROM deals d ANTI JOIN articles a ON a.item_id = d.item_id
UNION ALL
SELECT 'articles -> items', 'articles', a.item_id, a.url
FROM articles a ANTI JOIN items i ON i.item_id = a.item_id
UNION ALL
SELECT 'outcomes -> items', 'outcomes', o.item_id, o.outcome
FROM outcomes o ANTI JOIN items i ON i.item_id = o.item_id
UNION ALL
SELECT 'items -> feeds', 'items', i.item_id, CAST(i.feed_id AS VARCHAR)
FROM items i ANTI JOIN feeds f ON f.feed_id = i.feed_id
UNION ALL
SELECT 'article has stored outcome', 'articles', a.item_id, coalesce(o.outcome, 'no outcome')
FROM articles a LEFT JOIN outcomes o ON o.item_id = a.item_id
WHERE o.outcome IS DISTINCT FROM 'stored'
UNION ALL
SELECT 'stored outcome has article', 'outcomes', o.item_id, o.reason
FROM outcomes o ANTI JOIN articles a ON a.item_id = o.item_id
WHERE o.outcome = 'stored'
UNION ALL
SELECT 'search_docs -> articles', 'search_docs', s.item_id, NULL
FROM search_docs s ANTI JOIN articles a ON a.item_id = s.item_id
UNION ALL
SELECT 'vendor_candidates -> articles', 'vendor_candidates', v.item_id, v.name
FROM vendor_candidates v ANTI JOIN articles a ON a.item_id = v.item_id
