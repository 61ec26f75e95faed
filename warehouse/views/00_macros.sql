-- Scalar macros shared by the analyst views, the named queries and keyword search.

-- Metric wording -> comparable form: lower-case, anything but letters/digits/% becomes a space,
-- the LAST word singularised (robberies -> robbery, matches -> match, false positives -> false positive;
-- words ending in ss/us/is are left alone).
CREATE OR REPLACE MACRO metric_norm(m) AS
    regexp_replace(regexp_replace(regexp_replace(
        trim(regexp_replace(lower(m), '[^a-z0-9%]+', ' ', 'g')),
        '([a-z]{2})ies$', '\1y'),
        '(ch|sh|x|z|ss)es$', '\1'),
        '([a-z][^siu])s$', '\1');
COMMENT ON MACRO metric_norm IS 'Metric wording -> comparable form: lower-case, punctuation to spaces, last word singularised (false positives -> false positive). metric_families is keyed by this form.';

-- Tolerance for "the same figure": max(0.5, 2 % of the larger absolute value), for every unit.
-- 24 and 24.4 percent match; 24 and 25 do not; USD 14.0m and 14.2m match; 3 and 4 cameras do not.
CREATE OR REPLACE MACRO claim_tolerance(v) AS greatest(0.5, 0.02 * abs(v));
COMMENT ON MACRO claim_tolerance IS 'Tolerance for two figures to count as the same: max(0.5, 2 % of |v|) in the figure''s own unit.';

CREATE OR REPLACE MACRO claim_values_match(a, b) AS abs(a - b) <= claim_tolerance(greatest(abs(a), abs(b)));
COMMENT ON MACRO claim_values_match IS 'TRUE when |a - b| <= claim_tolerance(max(|a|, |b|)): the same figure for claim_spread, claim_conflicts and claim_checks.';

-- ISO week label of a timestamp: 2025-W01 (ISO year, so 2024-12-30 is in 2025-W01).
CREATE OR REPLACE MACRO iso_week(ts) AS strftime(ts, '%G-W%V');
COMMENT ON MACRO iso_week IS 'ISO-8601 week label YYYY-Www of a timestamp (ISO week-numbering year).';

-- Keyword search tokeniser (see warehouse/search.py). Changing it requires re-indexing.
CREATE OR REPLACE MACRO search_stem(w) AS CASE
    WHEN length(w) <= 3 THEN w
    WHEN w LIKE '%ies' AND NOT (w LIKE '%eies' OR w LIKE '%aies') THEN substr(w, 1, length(w) - 3) || 'y'
    WHEN regexp_matches(w, '(ch|sh|x|z|ss)es$') THEN substr(w, 1, length(w) - 2)
    WHEN w LIKE '%es' AND NOT (w LIKE '%aes' OR w LIKE '%ees' OR w LIKE '%oes') THEN substr(w, 1, length(w) - 1)
    WHEN w LIKE '%s' AND NOT (w LIKE '%us' OR w LIKE '%ss' OR w LIKE '%is') THEN substr(w, 1, length(w) - 1)
    ELSE w END;
COMMENT ON MACRO search_stem IS 'Plural stemmer for keyword search (Harman S-stemmer plus -ches/-shes/-xes/-zes/-sses): cameras -> camera, policies -> policy, matches -> match.';

CREATE OR REPLACE MACRO search_terms_of(txt) AS
    list_transform(
        list_filter(regexp_extract_all(strip_accents(lower(coalesce(txt, ''))), '[\p{L}\p{N}]+'),
                    lambda t: length(t) > 1 AND NOT list_contains(
                        ['the', 'and', 'for', 'that', 'with', 'this', 'from', 'was', 'were', 'are', 'has', 'have',
                         'had', 'its', 'but', 'not', 'their', 'they', 'which', 'been', 'will', 'would', 'also',
                         'into', 'than', 'more', 'about', 'after', 'said', 'his', 'her', 'who', 'what', 'when',
                         'there', 'all', 'can', 'our', 'one', 'an', 'as', 'at', 'be', 'by', 'in', 'is', 'it',
                         'of', 'on', 'or', 'to', 'we', 'he', 'de', 'la', 'el', 'en', 'le', 'les', 'des', 'et',
                         'los', 'las', 'del', 'que', 'und', 'der', 'die', 'das'], t)),
        lambda t: search_stem(t));
COMMENT ON MACRO search_terms_of IS 'Text -> list of index terms: lower-case, accents stripped, split on non-letters/digits, one-letter words and common English/Spanish/French/German stop words dropped, plurals stemmed.';
