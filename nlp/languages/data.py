"""Loading a language data file (seeds/languages/<code>.yaml) into a LanguageData object.

Everything language-specific lives in the YAML file; this module only compiles it (phrase regexes,
inflected demonyms). A new language is a new YAML file: see seeds/languages/es.yaml for the keys.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any


from ..gazetteer import DEFAULT_SEEDS_DIR, load_yaml


def languages_dir(seeds_dir: str | Path | None = None) -> Path:
    return Path(seeds_dir or DEFAULT_SEEDS_DIR) / "languages"


def available_languages(seeds_dir: str | Path | None = None) -> list[str]:
    """Language codes that have a data file."""
    d = languages_dir(seeds_dir)
    return sorted(p.stem for p in d.glob("*.yaml")) if d.is_dir() else []


def _words(xs: Any) -> list[str]:
    return [str(x) for x in (xs or [])]


def phrase_regex(phrases: list[str], flags: int = re.I) -> re.Pattern[str] | None:
    """One regex matching any of `phrases` as whole words (longest first)."""
    ps = sorted({p for p in phrases if p}, key=len, reverse=True)
    if not ps:
        return None
    alts = "|".join(re.escape(p) for p in ps)
    return re.compile(rf"(?<![\w]){'(?:' + alts + ')'}(?![\w])", flags)


def _iso(key: object) -> str:
    return "NO" if key is False else str(key)


@dataclass(eq=False)  # hashed by identity (cached per loaded file)
class LanguageData:
    code: str
    name: str
    raw: dict[str, Any]
    tagging: str = "full"
    spacy: dict[str, Any] = field(default_factory=dict)
    # compiled helpers (filled in by load_language)
    hedges: re.Pattern[str] | None = None
    approximators: list[str] = field(default_factory=list)
    increase: list[str] = field(default_factory=list)
    decrease: list[str] = field(default_factory=list)
    comparatives: list[str] = field(default_factory=list)

    def get(self, *path: str, default: Any = None) -> Any:
        cur: Any = self.raw
        for p in path:
            if not isinstance(cur, dict) or p not in cur:
                return default
            cur = cur[p]
        return cur

    def words(self, *path: str) -> list[str]:
        return _words(self.get(*path))


@lru_cache(maxsize=32)
def load_language(code: str, seeds_dir: str | None = None) -> LanguageData:
    path = languages_dir(seeds_dir) / f"{code}.yaml"
    if not path.exists():
        raise KeyError(f"no language data file {path}")
    with open(path, encoding="utf-8") as fh:
        raw = load_yaml(fh) or {}
    ld = LanguageData(code=str(raw.get("code", code)), name=str(raw.get("name", code)), raw=raw,
                      tagging=str(raw.get("tagging", "entities_only")), spacy=dict(raw.get("spacy") or {}))
    ld.hedges = phrase_regex(ld.words("hedges"))
    ld.approximators = ld.words("numbers", "approximators")
    ld.increase = ld.words("directions", "increase")
    ld.decrease = ld.words("directions", "decrease")
    ld.comparatives = ld.words("directions", "comparatives")
    return ld


def inflect_demonym(word: str, rules: list[list[Any]]) -> list[str]:
    """'boliviano' -> boliviano, boliviana, bolivianos, bolivianas by the first suffix rule that fits
    (rules: [[suffix, [forms...]], ...], the first form being the suffix itself)."""
    for suffix, forms in rules or []:
        suffix = str(suffix)
        if word.endswith(suffix):
            stem = word[: len(word) - len(suffix)]
            return [stem + str(f) for f in forms]
    return [word]


def demonym_table(ld: LanguageData) -> dict[str, str]:
    """Inflected demonym (lower case) -> ISO2."""
    out: dict[str, str] = {}
    rules = ld.get("places", "demonym_inflection") or []
    for iso, names in (ld.get("places", "demonyms") or {}).items():
        for n in names or []:
            for form in inflect_demonym(str(n).lower(), rules):
                out.setdefault(form, _iso(iso))
    return out


def country_aliases(ld: LanguageData) -> dict[str, str]:
    return {str(n): _iso(iso) for iso, ns in (ld.get("places", "country_aliases") or {}).items() for n in ns or []}


def city_table(ld: LanguageData) -> dict[str, str]:
    return {str(n): _iso(iso) for iso, ns in (ld.get("places", "cities") or {}).items() for n in ns or []}
