-- Figures that articles repeat without naming who asserts them, with who (if anyone) said it first.
SELECT s.metric_family, s.place, s.direction, s.value, s.unit, s.articles_without_claimant, s.articles, s.clusters,
       s.first_claimant, s.first_outlet, s.first_appeared_at, s.first_url, c.sentence AS first_sentence
FROM claim_spread s
LEFT JOIN claims c ON c.item_id = s.first_item_id AND c.claim_no = s.first_claim_no
WHERE s.articles_without_claimant > 0
ORDER BY s.articles_without_claimant DESC, s.clusters DESC, s.first_appeared_at
