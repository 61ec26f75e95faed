-- 004: candidate vendors found by NER (nlp/discovery.py): organisations outside seeds/vendors.yaml that an
-- article names as a supplier of surveillance technology. Written and replaced with an article's other tags
-- (warehouse.ingest.store_batch / replace_tags); read through the view unknown_vendors.

CREATE TABLE vendor_candidates (
    item_id         VARCHAR NOT NULL,
    name            VARCHAR NOT NULL,
    surface         VARCHAR NOT NULL,
    start_char      INTEGER,
    end_char        INTEGER,
    evidence        VARCHAR NOT NULL,
    cue             VARCHAR NOT NULL,
    nlp_version     VARCHAR NOT NULL,
    PRIMARY KEY (item_id, name)
);
COMMENT ON TABLE vendor_candidates IS 'Organisations not in the vendor gazetteer (seeds/vendors.yaml) that an article presents as a supplier of surveillance technology: one row per article and candidate name (first occurrence). Candidates for an analyst to review and, if right, add to the gazetteer; not vetted vendors.';
COMMENT ON COLUMN vendor_candidates.item_id IS 'articles.item_id';
COMMENT ON COLUMN vendor_candidates.name IS 'Normalised organisation name: leading "the", possessive ''s and legal suffixes (Inc., Ltd., Co., Corp., LLC, GmbH, S.A. …) removed.';
COMMENT ON COLUMN vendor_candidates.surface IS 'The name as written at its first supplier-context occurrence.';
COMMENT ON COLUMN vendor_candidates.start_char IS 'Character offset of surface in articles.text (0-based).';
COMMENT ON COLUMN vendor_candidates.end_char IS 'End offset (exclusive).';
COMMENT ON COLUMN vendor_candidates.evidence IS 'The sentence that presents the organisation as a supplier.';
COMMENT ON COLUMN vendor_candidates.cue IS 'Rule that fired: supplier_verb (X supplied/sold …) | won_contract (X won a tender) | supplied_by (supplied/made by X) | contract_with (a contract/deal with X) | awarded_to (awarded to X) | bought_from (bought from X) | vendor_noun (firm/maker/startup … X, with a technology in the sentence).';
COMMENT ON COLUMN vendor_candidates.nlp_version IS 'Tagger version that found it.';
