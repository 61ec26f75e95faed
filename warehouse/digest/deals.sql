-- Deals asserted by articles first seen in the week (table deals; the view vendor_country sums them over
-- all weeks), one row per vendor, country and kind: technologies and years named, how many articles and
-- outlets assert it, and the earliest such article with its evidence sentence.
-- new_pair: no article first seen before the week asserts any deal between this vendor and country.
-- Order: new pairs first; then one deal per evidence article first (the top lines come from different
-- articles); then by how many articles assert it.
WITH this_week AS (
    SELECT d.item_id, d.vendor, d.country, d.kind, d.technology, d.year, d.evidence,
           i.first_seen_at, a.url, a.title, a.outlet
    FROM deals d
    JOIN items i ON i.item_id = d.item_id
    JOIN articles a ON a.item_id = d.item_id
    WHERE i.first_seen_at >= $week_start AND i.first_seen_at < $week_end
),
earlier AS (
    SELECT DISTINCT d.vendor, d.country
    FROM deals d
    JOIN items i ON i.item_id = d.item_id
    WHERE i.first_seen_at < $week_start
),
grouped AS (
    SELECT
        t.vendor,
        t.country,
        t.kind,
        coalesce(list_sort(list_distinct(list(t.technology) FILTER (WHERE t.technology IS NOT NULL))), []) AS technologies,
        coalesce(list_sort(list_distinct(list(t.year) FILTER (WHERE t.year IS NOT NULL))), [])       AS years,
        count(DISTINCT t.item_id)                                   AS articles,
        count(DISTINCT t.outlet)                                    AS outlets,
        first(t.evidence ORDER BY t.first_seen_at, t.item_id)       AS evidence,
        first(t.url ORDER BY t.first_seen_at, t.item_id)            AS url,
        first(t.title ORDER BY t.first_seen_at, t.item_id)          AS title,
        first(t.outlet ORDER BY t.first_seen_at, t.item_id)         AS outlet,
        min(t.first_seen_at)                                        AS first_seen_at,
        e.vendor IS NULL                                            AS new_pair
    FROM this_week t
    LEFT JOIN earlier e ON e.vendor = t.vendor AND e.country = t.country
    GROUP BY t.vendor, t.country, t.kind, e.vendor
)
SELECT g.*
FROM grouped g
ORDER BY g.new_pair DESC,
         row_number() OVER (PARTITION BY g.new_pair, g.url ORDER BY g.articles DESC, g.vendor, g.country, g.kind),
         g.articles DESC, g.first_seen_at, g.vendor, g.country, g.kind
