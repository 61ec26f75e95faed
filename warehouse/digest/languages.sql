-- Articles of the week [$week_start, $week_end) per language detected from the text, and how they were tagged
-- (full: vendors, countries, claims, deals; entities_only: vendor and country names only).
SELECT coalesce(a.language, 'unknown') AS language, coalesce(a.tagging, 'untagged') AS tagging, count(*) AS articles
FROM items i
JOIN articles a ON a.item_id = i.item_id
WHERE i.first_seen_at >= $week_start AND i.first_seen_at < $week_end
GROUP BY ALL
ORDER BY articles DESC, language, tagging
