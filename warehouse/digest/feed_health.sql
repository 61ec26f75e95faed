-- Coverage gaps: active feeds whose status in the view feed_health is not ok (failing: 3 or more
-- consecutive failures; never_fetched; quiet: no new item in 14 days), as of now, worst first.
SELECT feed_id, title, url, category, status, consecutive_failures, last_error,
       last_fetched_at, last_success_at, last_new_item_at, items_per_week
FROM feed_health
WHERE active AND status <> 'ok'
ORDER BY CASE status WHEN 'failing' THEN 0 WHEN 'never_fetched' THEN 1 ELSE 2 END,
         consecutive_failures DESC, last_new_item_at NULLS FIRST, title, feed_id
