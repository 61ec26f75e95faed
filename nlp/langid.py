"""Language identification for routing texts to a tagger (nlp/multilingual.py).

Uses py3langid (a maintained fork of langid.py; the model ships inside the wheel, so it runs
offline and loads in ~0.2 s). Two things make it usable on news:

- Page metadata (``<html lang>``, feed ``<language>``) is passed as ``hint``; it is only a prior:
  often missing, often the site's default rather than the article's language. The hinted language
  gets a prior weight of HINT_WEIGHT; a text that is clearly in another language overrides it.
- Short texts (a headline) are where a 97-language model confuses close relatives (es/gl/ca/it,
  pt/gl/es, fr/ca/...). For texts shorter than SHORT_CHARS, languages outside NEWS_LANGUAGES get a
  prior weight of RARE_WEIGHT: a Spanish headline is far more likely than a Galician one.

Mixed texts (English quotes in a Spanish article) are scored on the whole text: the majority
language wins, which is the language the article's own sentences are written in.
"""
from __future__ import annotations

import re
from functools import lru_cache

# languages we see in news often enough to prefer on short, ambiguous texts
NEWS_LANGUAGES = frozenset("en es pt fr de it ru zh ar ja ko tr id nl pl uk sw vi fa hi".split())
HINT_WEIGHT = 2.5
RARE_WEIGHT = 0.1
SHORT_CHARS = 200
MAX_CHARS = 20_000  # longer texts: the first MAX_CHARS characters decide (enough for any article)

_URL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+")
_SPACE = re.compile(r"\s+")
# py3langid codes that are not ISO 639-1 or that we fold into one routing code
_FOLD = {"nb": "no", "nn": "no", "zh-tw": "zh", "zh-cn": "zh"}


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def normalise_hint(hint: str | None) -> str | None:
    """'es-MX' / 'pt_BR' / 'FR' / 'en-US,en;q=0.9' -> 'es' / 'pt' / 'fr' / 'en'; junk -> None."""
    if not hint:
        return None
    m = re.match(r"\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*", str(hint))
    if not m:
        return None
    code = m.group(1).lower()
    if len(code) != 2:
        return None
    return _FOLD.get(code, code)


def _clean(text: str) -> str:
    text = _URL.sub(" ", text[:MAX_CHARS])
    return _SPACE.sub(" ", text).strip()


def rank_languages(text: str, hint: str | None = None) -> list[tuple[str, float]]:
    """All languages with posterior probabilities (sum 1), best first, after the hint and
    short-text priors."""
    clean = _clean(text or "")
    if not re.search(r"[^\W\d_]", clean):
        return []
    ranked = _identifier().rank(clean)
    hint_code = normalise_hint(hint)
    short = len(clean) < SHORT_CHARS
    scored: dict[str, float] = {}
    for lang, p in ranked:
        code = _FOLD.get(lang, lang)
        w = 1.0
        if short and code not in NEWS_LANGUAGES:
            w *= RARE_WEIGHT
        if hint_code and code == hint_code:
            w *= HINT_WEIGHT
        scored[code] = scored.get(code, 0.0) + float(p) * w
    total = sum(scored.values()) or 1.0
    return sorted(((k, v / total) for k, v in scored.items()), key=lambda kv: -kv[1])


def detect_language(text: str, hint: str | None = None) -> tuple[str, float]:
    """(ISO 639-1 code, confidence 0..1) of `text`. `hint` is page metadata (may be None or wrong).
    A text with no letters gets the hint (or "en") with confidence 0."""
    ranked = rank_languages(text, hint)
    if not ranked:
        return (normalise_hint(hint) or "en"), 0.0
    lang, p = ranked[0]
    return lang, round(p, 4)
