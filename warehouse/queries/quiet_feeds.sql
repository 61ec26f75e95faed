-- Feeds needing attention: failing (>= 3 consecutive failures), quiet (no new item in 14 days) or never fetched.
SELECT status, feed_id, title, url, category, consecutive_failures, last_error, last_success_at,
       last_new_item_at, items_per_week
FROM feed_health
WHERE status <> 'ok' AND active
ORDER BY CASE status WHEN 'failing' THEN 1 WHEN 'quiet' THEN 2 ELSE 3 END, last_new_item_at NULLS FIRST, title
