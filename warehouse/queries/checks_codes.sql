-- Data check: country codes look like ISO 3166-1 alpha-2 (two upper-case letters); returns offenders.
SELECT 'deals.country iso2' AS check_name, 'deals' AS table_name, item_id AS key, country AS detail
FROM deals WHERE NOT regexp_full_match(country, '[A-Z]{2}')
UNION ALL
SELECT 'mentions country iso2', 'mentions', item_id, entity
FROM mentions WHERE entity_type = 'country' AND NOT regexp_full_match(entity, '[A-Z]{2}')
UNION ALL
SELECT 'claims.place iso2', 'claims', item_id || '#' || claim_no, place
FROM claims WHERE place IS NOT NULL AND NOT regexp_full_match(place, '[A-Z]{2}')
UNION ALL
SELECT 'reference_stats.place iso2', 'reference_stats', metric || ' ' || period, place
FROM reference_stats WHERE NOT regexp_full_match(place, '[A-Z]{2}')
