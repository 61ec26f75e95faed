"""Taggers for languages other than English (issue 13).

Layout (a new language = a data file + tests; code only if it needs something new):
- seeds/languages/<code>.yaml   all language-specific words (numbers, currencies, directions, hedges,
                                claimant cues, deal triggers, technologies, non-claims, demonyms, places)
- data.py                       loads and compiles a data file
- numbers.py                    local number formats ("2.000", "1,5 milhão", "12 000", "US$ 105 millones")
- places.py                     country / city / demonym phrase tables per language (pycountry translations)
- components.py                 spaCy components registered by name (survwatch_lang_*)
- claims.py, deals.py           rule-based claims and deals over the data file's word lists
- pipeline.py                   builds a language's pipeline from pipeline_<code>.cfg (or pipeline_default.cfg)
"""
from .data import available_languages, load_language  # noqa: F401
