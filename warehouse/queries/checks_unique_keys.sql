-- Data check: natural keys are unique, including tables without a declared key (returns duplicates).
SELECT 'mentions unique' AS check_name, 'mentions' AS table_name,
       item_id || ' ' || entity_type || ' ' || entity || ' @' || coalesce(CAST(start_char AS VARCHAR), '?') AS key,
       count(*) || ' rows' AS detail
FROM mentions GROUP BY item_id, entity_type, entity, start_char, end_char HAVING count(*) > 1
UNION ALL
SELECT 'claims unique', 'claims', item_id || '#' || claim_no, count(*) || ' rows'
FROM claims GROUP BY item_id, claim_no HAVING count(*) > 1
UNION ALL
SELECT 'deals unique', 'deals', item_id || ' ' || vendor || '-' || country || ' ' || kind, count(*) || ' rows'
FROM deals GROUP BY item_id, vendor, country, kind HAVING count(*) > 1
UNION ALL
SELECT 'outcomes unique', 'outcomes', item_id, count(*) || ' rows'
FROM outcomes GROUP BY item_id HAVING count(*) > 1
UNION ALL
SELECT 'items canonical_url unique', 'items', canonical_url, count(*) || ' rows'
FROM items GROUP BY canonical_url HAVING count(*) > 1
UNION ALL
SELECT 'search_terms unique', 'search_terms', term || ' ' || item_id, count(*) || ' rows'
FROM search_terms GROUP BY term, item_id HAVING count(*) > 1
