-- 009: the relevance gate (nlp/gate.py). Off-topic articles are stored with their text (searchable) but not
-- parsed: articles.tagging = 'out_of_scope', with the gate's fingerprint and the terms that decided.

ALTER TABLE articles ADD COLUMN gate_version VARCHAR;
COMMENT ON COLUMN articles.gate_version IS 'Fingerprint of the relevance gate that checked the article (hash of seeds/gate.yaml, the vendor and technology gazetteers and the gate rules). reprocess re-checks out_of_scope articles whose gate_version is not the current one. NULL: checked by no gate (tagged before it, or SURVWATCH_GATE=false).';
ALTER TABLE articles ADD COLUMN gate_reason VARCHAR;
COMMENT ON COLUMN articles.gate_reason IS 'The relevance gate''s reason: the surveillance terms that hit ("strong: hikvision, surveillance; weak: cameras") or "no surveillance terms". NULL when no gate checked the article.';
COMMENT ON COLUMN articles.tagging IS 'How the article was tagged: full (vendors, countries, technologies, claims, deals), entities_only (a language without a tagger: vendor names and safe country names only, no claims or deals) or out_of_scope (the relevance gate found no surveillance terms: stored and searchable, not tagged; see gate_reason). NULL before nlp 0.3.';
