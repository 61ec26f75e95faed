-- Claims repeated by two or more independent story clusters, most widely repeated first, with where they first appeared.
SELECT metric_family, place, direction, value, unit, year, clusters, outlets, articles,
       articles_without_claimant, first_outlet, first_claimant, first_appeared_at, last_appeared_at,
       first_url, claimants
FROM claim_spread
WHERE clusters >= 2
ORDER BY clusters DESC, outlets DESC, first_appeared_at
