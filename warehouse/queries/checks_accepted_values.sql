-- Data check: enum-like columns hold only accepted values (returns offending rows; empty = pass).
SELECT 'outcomes.outcome accepted' AS check_name, 'outcomes' AS table_name, item_id AS key, outcome AS detail
FROM outcomes WHERE outcome NOT IN ('stored', 'skipped', 'failed')
UNION ALL
SELECT 'claims.direction accepted', 'claims', item_id || '#' || claim_no, direction
FROM claims WHERE direction IS NOT NULL AND direction NOT IN ('increase', 'decrease', 'level')
UNION ALL
SELECT 'deals.kind accepted', 'deals', item_id || ' ' || vendor || '-' || country, kind
FROM deals WHERE kind NOT IN ('contract', 'supply', 'donation', 'loan', 'office', 'ban')
UNION ALL
SELECT 'mentions.entity_type accepted', 'mentions', item_id || ' ' || entity, entity_type
FROM mentions WHERE entity_type NOT IN ('vendor', 'country', 'technology')
UNION ALL
SELECT 'articles.text_source accepted', 'articles', item_id, text_source
FROM articles WHERE text_source NOT IN ('page', 'feed_summary')
UNION ALL
SELECT 'feed_fetches.status accepted', 'feed_fetches', run_id || ' ' || feed_id, status
FROM feed_fetches WHERE status NOT IN ('ok', 'not_modified', 'failed')
UNION ALL
SELECT 'runs.status accepted', 'runs', run_id, status
FROM runs WHERE status NOT IN ('running', 'completed', 'crashed', 'failed')
