-- Claims that disagree with the loaded reference statistics, largest relative difference first.
SELECT k.place, k.metric_family, k.value, k.unit, k.direction, k.year, k.reference_value, k.reference_period,
       k.year_match, k.difference, k.relative_difference, k.claimant, k.outlet, k.article_url,
       k.reference_source_url, c.sentence
FROM claim_checks k
JOIN claims c ON c.item_id = k.item_id AND c.claim_no = k.claim_no
WHERE k.status = 'inconsistent'
ORDER BY abs(k.relative_difference) DESC NULLS LAST, k.place
