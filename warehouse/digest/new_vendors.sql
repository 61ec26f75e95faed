-- Firms not in the vendor list: candidate vendors (table vendor_candidates; the view unknown_vendors sums
-- them over all weeks) first seen in the week, i.e. named in a supplier role by articles first seen in it
-- and by no article first seen before it. Names are grouped case-insensitively as in unknown_vendors (the
-- spelling of most rows is shown, ties to the earliest); articles, outlets and stories count the week's
-- articles only, and the earliest of them gives the evidence sentence. Candidates of articles that no
-- longer exist are not counted. Order: most articles, then most outlets, then earliest, then name.
WITH candidates AS (
    SELECT v.item_id, v.name, lower(v.name) AS name_key, v.evidence, v.cue,
           i.first_seen_at, a.url, a.title, a.outlet, a.cluster_id
    FROM vendor_candidates v
    JOIN items i ON i.item_id = v.item_id
    JOIN articles a ON a.item_id = v.item_id
),
this_week AS (
    SELECT c.*, count(*) OVER (PARTITION BY c.name_key, c.name) AS spelling_rows
    FROM candidates c
    WHERE c.first_seen_at >= $week_start AND c.first_seen_at < $week_end
),
earlier AS (
    SELECT DISTINCT c.name_key
    FROM candidates c
    WHERE c.first_seen_at < $week_start
)
SELECT
    first(t.name ORDER BY t.spelling_rows DESC, t.first_seen_at, t.item_id, t.name)     AS name,
    count(DISTINCT t.item_id)                                                          AS articles,
    count(DISTINCT t.outlet)                                                           AS outlets,
    count(DISTINCT t.cluster_id)                                                       AS stories,
    list_sort(list_distinct(list(t.cue)))                                              AS cues,
    first(t.evidence ORDER BY t.first_seen_at, t.item_id, t.name)                      AS evidence,
    first(t.url ORDER BY t.first_seen_at, t.item_id, t.name)                           AS url,
    first(t.title ORDER BY t.first_seen_at, t.item_id, t.name)                         AS title,
    first(t.outlet ORDER BY t.first_seen_at, t.item_id, t.name)                        AS outlet,
    min(t.first_seen_at)                                                               AS first_seen_at
FROM this_week t
WHERE t.name_key NOT IN (SELECT name_key FROM earlier)
GROUP BY t.name_key
ORDER BY articles DESC, outlets DESC, first_seen_at, name
