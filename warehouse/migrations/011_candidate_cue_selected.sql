-- 011: nlp 0.4.4 adds a discovery rule, "selected / hired / contracted X to supply ..."; the column comment lists it.

COMMENT ON COLUMN vendor_candidates.cue IS 'Rule that fired: supplier_verb (X supplied/sold …) | won_contract (X won a tender) | supplied_by (supplied/made by X) | contract_with (a contract/deal with X) | awarded_to (awarded to X) | bought_from (bought from X) | selected_to_supply (selected/hired/contracted X to supply/install …) | vendor_noun (firm/maker/startup … X, with a technology in the sentence).';
