-- Data check: values every row needs are present and non-empty (returns offending rows).
SELECT 'claims.value not null' AS check_name, 'claims' AS table_name, item_id || '#' || claim_no AS key,
       sentence AS detail
FROM claims WHERE value IS NULL
UNION ALL
SELECT 'claims.sentence not empty', 'claims', item_id || '#' || claim_no, NULL
FROM claims WHERE trim(sentence) = ''
UNION ALL
SELECT 'mentions.entity not empty', 'mentions', item_id, entity_type
FROM mentions WHERE trim(entity) = ''
UNION ALL
SELECT 'deals.evidence not empty', 'deals', item_id || ' ' || vendor || '-' || country, kind
FROM deals WHERE trim(evidence) = ''
UNION ALL
SELECT 'articles.cluster_id not empty', 'articles', item_id, NULL
FROM articles WHERE trim(cluster_id) = ''
UNION ALL
SELECT 'vendor_candidates.evidence not empty', 'vendor_candidates', item_id || ' ' || name, cue
FROM vendor_candidates WHERE trim(evidence) = '' OR trim(name) = ''
