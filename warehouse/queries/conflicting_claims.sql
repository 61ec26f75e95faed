-- Figures for the same metric and place that disagree (value or direction), largest disagreement first.
SELECT metric_family, place, unit, conflict, year,
       a_direction, a_value, a_outlet, a_claimant, a_articles,
       b_direction, b_value, b_outlet, b_claimant, b_articles,
       difference, relative_difference, a_url, b_url
FROM claim_conflicts
ORDER BY conflict, abs(relative_difference) DESC NULLS LAST, place, metric_family
