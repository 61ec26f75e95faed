-- Entities rising most in the latest week against their 8-week average (new entities flagged).
SELECT week, entity_type, entity, articles, baseline, change, ratio, is_new
FROM trending
WHERE change > 0
ORDER BY change DESC, ratio DESC NULLS FIRST, entity
LIMIT 30
