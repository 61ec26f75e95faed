"""Figures in a sentence for a language described by a data file (pure regex, no spaCy).

Local formats: "2.000" / "1.500.000" (dot groups), "12 000" (space, nbsp or narrow nbsp groups),
"1,5" (decimal comma), "1,500" (a comma followed by exactly three digits groups thousands, as in
Mexican copy), "30 %", "R$ 20 milhões", "US$ 105 millones", "150 millions d'euros", "105 mdd",
number words ("dos mil", "vingt-cinq") via text2num, fractions ("la mitad", "un tiers") and
multipliers ("se duplicó", "a doublé") from the data file. Non-claims (years, dates, times, ages,
ordinals, phone numbers, "Ley 1.581", "ECU-911") are dropped as in CONVENTIONS.md.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..numbers import PHONE_RE, Figure, _clean
from .data import LanguageData, phrase_regex

SPACES = " \u00a0\u202f\u2009"
TIME_UNITS = {"years", "months", "weeks", "days", "hours", "decades"}
_NUM = (rf"\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?(?!\.\d)"          # 1.500.000 / 1.500,5
        rf"|\d{{1,3}}(?:[{SPACES}]\d{{3}})+(?:,\d+)?(?![\d])"    # 12 000 / 1 500 000
        rf"|\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?(?!,\d)"            # 1,500 / 1,500.5
        rf"|\d+(?:[.,]\d+)?")


def parse_local_number(s: str) -> float | None:
    """'2.000' -> 2000; '1.500.000' -> 1500000; '1,5' -> 1.5; '12 000' -> 12000; '1,500' -> 1500;
    '1.5' -> 1.5; '0,75' -> 0.75."""
    t = re.sub(rf"[{SPACES}]", "", s.strip())
    if not t:
        return None
    if "." in t and "," in t:
        dec = "." if t.rfind(".") > t.rfind(",") else ","
        grp = "," if dec == "." else "."
        t = t.replace(grp, "").replace(dec, ".")
    elif "." in t or "," in t:
        sep = "." if "." in t else ","
        head, *groups = t.split(sep)
        if groups and all(len(g) == 3 for g in groups) and head not in ("0", "") and len(head) <= 3:
            t = t.replace(sep, "")
        elif len(groups) == 1:
            t = head + "." + groups[0]
        else:
            return None
    try:
        return float(t)
    except ValueError:
        return None


@dataclass
class _Compiled:
    figure: re.Pattern[str]
    words_re: re.Pattern[str] | None
    fractions: re.Pattern[str] | None
    multipliers: re.Pattern[str] | None
    mag: dict[str, float]
    mag_currency: dict[str, str]
    currency_prefix: dict[str, str]
    currency_words: dict[str, str]
    units: dict[str, str]
    percent: list[str]
    after_re: re.Pattern[str]
    id_words: set[str]
    months_re: re.Pattern[str] | None
    phone_cues: re.Pattern[str] | None
    phone_numbers: set[str]
    ordinal_re: re.Pattern[str] | None
    approx_re: re.Pattern[str] | None
    elapsed_before: re.Pattern[str] | None
    elapsed_after: re.Pattern[str] | None
    age_before: re.Pattern[str] | None
    age_unit: str
    range_re: re.Pattern[str]
    time_unit_re: re.Pattern[str] | None
    person_re: re.Pattern[str] | None


def _alts(xs: list[str]) -> str:
    return "|".join(re.escape(x) for x in sorted(set(xs), key=len, reverse=True))


@lru_cache(maxsize=16)
def _compile(ld: LanguageData) -> _Compiled:
    num = ld.get("numbers", default={}) or {}
    cur = ld.get("currencies", default={}) or {}
    mag = {str(k).lower(): float(v) for k, v in (num.get("magnitudes") or {}).items()}
    prefixes = {str(k): str(v) for k, v in (cur.get("prefixes") or {}).items()}
    words = {str(k).lower(): str(v) for k, v in (cur.get("words") or {}).items()}
    units = {str(k).lower(): str(v) for k, v in (ld.get("units") or {}).items()}
    percent = [str(p) for p in num.get("percent") or ["%"]]
    # currency prefix must not be glued to a letter before it ("R$" vs "$", "Bs" in "Bs. 10")
    pre = rf"(?:(?P<cur>(?<![A-Za-z]){_alts(list(prefixes))})\s?)?"
    figure = re.compile(rf"{pre}(?<![\w.,])(?P<num>{_NUM})", re.I if False else 0)
    mag_alt = _alts(list(mag))
    word_alt = _alts(list(words))
    unit_alt = _alts(list(units))
    # words between a figure and its currency ("millones de dólares"); the data file may add its own
    conn_alt = _alts(["de", "de los", "de las"] + [str(x) for x in cur.get("connectors") or []])
    pct_alt = _alts(percent)
    sym_alt = _alts([p for p in prefixes if not p[:1].isalpha()] + [p for p in prefixes if p.isupper()])
    after_re = re.compile(
        rf"(?P<mag>[{SPACES}]?(?:{mag_alt})(?![\w]))?"
        rf"(?:(?P<pct>[{SPACES}]?(?:{pct_alt})(?![\w]))"
        rf"|(?P<curw>[{SPACES}]+(?:(?:{conn_alt})\s+|d['’])?(?:{word_alt})(?![\w]))"
        rf"|(?P<sym>[{SPACES}]?(?:{sym_alt})(?![\w]))"
        rf"|(?P<unit>[{SPACES}]+(?:de\s+)?(?:{unit_alt})(?![\w])))?", re.I)
    nc = ld.get("non_claims", default={}) or {}
    months = [str(m) for m in nc.get("months") or []]
    ordinals = [str(o) for o in nc.get("ordinal_suffixes") or []]
    number_words = [str(w) for w in num.get("number_words") or []]
    one_words = [str(w) for w in num.get("one_words") or []]
    joiners = [str(j) for j in num.get("number_joiners") or []]
    if number_words:
        w = _alts(number_words + one_words)
        j = _alts([x for x in joiners if x != "-"]) if joiners else ""
        sep = rf"(?:\s+(?:(?:{j})\s+)?|-)" if j else r"(?:\s+|-)"
        words_re = re.compile(rf"(?<![\w-])(?P<w>(?:{w})(?:{sep}(?:{w}))*)(?![\w-])", re.I)
    else:
        words_re = None
    ranges = [str(r) for r in num.get("range_joiners") or ["-"]]
    return _Compiled(
        figure=figure, words_re=words_re,
        fractions=phrase_regex([str(k) for k in (num.get("fractions") or {})]),
        multipliers=phrase_regex([str(k) for k in (num.get("multipliers") or {})]),
        mag=mag, mag_currency={str(k).lower(): str(v) for k, v in (num.get("magnitude_currency") or {}).items()},
        currency_prefix=prefixes, currency_words=words, units=units, percent=percent, after_re=after_re,
        id_words={str(w).lower() for w in nc.get("id_words") or []},
        months_re=re.compile(rf"^\s*(?:de\s+|del\s+|d['’])?(?:{_alts(months)})\b", re.I) if months else None,
        phone_cues=phrase_regex([str(c) for c in nc.get("phone_cues") or []]),
        phone_numbers={str(p) for p in nc.get("phone_numbers") or []},
        ordinal_re=re.compile(rf"^(?:{_alts(ordinals)})(?![\w])", re.I) if ordinals else None,
        approx_re=re.compile(rf"(?<![\w])(?:{_alts(ld.approximators)})\s*$", re.I) if ld.approximators else None,
        elapsed_before=re.compile(rf"(?<![\w])(?:{_alts([str(x) for x in nc.get('elapsed_before') or []])})\s+$", re.I)
        if nc.get("elapsed_before") else None,
        elapsed_after=re.compile(rf"^\s*(?:{_alts([str(x) for x in nc.get('elapsed_after') or []])})(?![\w])", re.I)
        if nc.get("elapsed_after") else None,
        age_before=re.compile(rf"(?<![\w])(?:{_alts([str(x) for x in nc.get('age_before') or []])})\s+$", re.I)
        if nc.get("age_before") else None,
        age_unit=str(nc.get("age_unit") or ""),
        range_re=re.compile(rf"\s*(?:{_alts(ranges)})\s*", re.I),
        time_unit_re=re.compile(rf"^\s+(?:{_alts([k for k, v in units.items() if v in TIME_UNITS])})(?![\w])", re.I)
        if any(v in TIME_UNITS for v in units.values()) else None,
        person_re=re.compile(rf"(?<![\w])(?:{_alts([str(x) for x in nc.get('person_nouns') or []])})\s+(?:de\s+)?$", re.I)
        if nc.get("person_nouns") else None,
    )


def _words_value(text: str, lang: str) -> float | None:
    try:
        from text_to_num import text2num
        return float(text2num(text.lower(), lang))
    except Exception:  # noqa: BLE001 - text2num raises ValueError on anything it cannot read
        try:
            from text_to_num import alpha2digit
            out = alpha2digit(text.lower(), lang)
            return parse_local_number(out) if re.fullmatch(r"[\d.,\s]+", out.strip()) else None
        except Exception:  # noqa: BLE001
            return None


class LocalNumbers:
    """find_figures for one language."""

    def __init__(self, ld: LanguageData) -> None:
        self.ld = ld
        self.c = _compile(ld)
        cl = ld.get("claimants", default={}) or {}
        self.function_words = {str(w).lower() for k in ("stop_words", "determiners", "connectors", "pronouns")
                               for w in cl.get(k) or []} | {str(w).lower() for w in ld.words("non_claims", "months")}
        self.months = {str(w).lower() for w in ld.words("non_claims", "months")}
        anaphoric = [str(w) for w in ld.words("numbers", "anaphoric_before")]
        self.anaphoric_before = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(w) for w in anaphoric) + r")\s+$",
                                           re.I) if anaphoric else None
        days = ld.words("non_claims", "weekdays")
        self.weekday_re = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(d) for d in sorted(days, key=len, reverse=True))
                                     + r")\s*\(?\s*$", re.I) if days else None
        self.mil_re = re.compile(r"(?<![\w.,])(?:(\d{1,3})\s+)?mil\s+(\d{1,3})(?![\d.,]|\s*mil)", re.I) \
            if ld.get("numbers", "mil_compound") else None

    # ---- non-claims
    @property
    def tenure_before(self) -> re.Pattern[str] | None:
        """Words before a number-word duration that make it an age or a tenure (data file numbers.tenure_before);
        other durations ("en seis meses", "perfazendo quatro anos") are figures, as digit durations are."""
        if not hasattr(self, "_tenure"):
            words = [str(w) for w in self.ld.words("numbers", "tenure_before")]
            self._tenure = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(w) for w in words) + r")(?:\s+\w+)?\s+$", re.I) \
                if words else None
        return self._tenure

    @property
    def comma_decimal_magnitude(self) -> bool:
        return bool(self.ld.get("numbers", "comma_decimal_before_magnitude"))

    def _not_claim(self, text: str, s: int, e: int, num: str, has_unit: bool, has_cur: bool) -> bool:
        c = self.c
        before, after = text[max(0, s - 40):s], text[e:e + 30]
        digits = re.sub(r"\D", "", num)
        if s > 0 and not has_cur and (text[s - 1].isalpha() or (text[s - 1] in "-/#" and s > 1 and text[s - 2].isalnum())):
            return True  # ECU-911, BOL-110, Covid-19, G20
        if after[:1].isalpha() and not has_unit:
            if c.ordinal_re is None or not c.ordinal_re.match(after):
                return True  # 5G, 4K
        if c.ordinal_re is not None and c.ordinal_re.match(after) and not has_unit:
            return True  # 1º, 2ª, 1er, 3e
        if re.match(r"^[-/]\d", after) or re.match(r"^\.\d", after):
            return True  # 2019/20, 14/05, 1.2.3
        if re.match(r"^\s?(?::\d\d|h\d\d|h(?![\w]))", after, re.I):
            return True  # 10:30, 10h30, 14 h
        if not has_unit and re.fullmatch(r"(?:19|20)\d\d", num):
            nxt = re.match(r"\s+([^\W\d_]+)", after)
            year_before = re.search(r"(?<![\w])(?:en|em|in|no|desde|depuis|hasta|até|jusqu['’]en|año|ano|année|an|"
                                    r"verano|inverno|invierno|été|hiver|fin|fines|finales|final|début|inicios|início)\s+$",
                                    before, re.I)
            month_before = re.search(r"([^\W\d_]+)\s+(?:de\s+|del\s+)?$", before)
            if year_before or (month_before and month_before.group(1).lower() in self.months) or not (
                    nxt and nxt.group(1).lower() not in self.function_words and nxt.group(1).islower()
                    and nxt.group(1).endswith(("s", "x")) and len(nxt.group(1)) > 3):
                return True  # a year ("en 2019 la policía"); "2000 caméras" is a count
        if not has_unit and self.weekday_re is not None and self.weekday_re.search(before):
            return True  # "nesta terça-feira (27)", "el martes 14"
        if not has_unit and c.months_re is not None and c.months_re.match(after):
            return True  # 15 de marzo, 15 mars
        if re.search(r"(?<![\w])(?:a\s+las|a\s+la|às|à|desde\s+las|hasta\s+las)\s+$", before, re.I) and \
                ((not has_unit and len(digits) <= 2 and int(digits or 0) <= 24) or re.match(r"^\s*(?:horas|hora|h|heures|heure)\b", after, re.I)):
            return True  # "a las 10", "às 14", "à 9"
        prev = re.search(r"([\w.ºª°]+)\s*$", before)
        if prev and not has_unit and prev.group(1).lower().rstrip(".") in {w.rstrip(".") for w in c.id_words}:
            return True  # Ley 1.581, Decreto 9.203, artículo 5
        if re.search(r"(?:n\.?\s?[º°o]|nº|n°)\s*$", before, re.I):
            return True
        # a figure inside a name: "France 24", "Canal 13" (capitalised word before, list punctuation after)
        if not has_unit and re.search(r"(?<![.!?]\s)(?<!^)\b[A-ZÁÉÍÓÚ][\w]+\s$", before) and \
                re.match(r"^(?:\s*[,;)]|\s+(?:y|e|et|and|o|ou)\s)", after) and before.rstrip()[:-1].strip():
            return True
        if not has_unit and digits in c.phone_numbers and c.phone_cues is not None and \
                c.phone_cues.search(text[max(0, s - 30):s]):
            return True  # "llamar al 911", "ligue 190", "composez le 17"
        if not has_unit and len(digits) <= 4 and re.search(
                r"(?:emergen|urgen|ligar|ligue|llam|compos|disque|marque|marcar|appel|n[úu]m[eé]ro)\w*\s+(?:\w+\s+){0,3}$",
                text[max(0, s - 40):s], re.I) and not re.match(r"\s+[^\W\d_]{4,}", after):
            return True  # "ligar para o 119", "o número de emergência 113 passou"
        if re.search(r"(?:Rua|Avenida|Av\.|Calle|Carrera|Rue|Boulevard|Praça|Plaza|Paseo|Travessa)\s+[^\W\d_][^,;]{0,30},\s*$",
                     before):
            return True  # "Rua Boa Vista, 280": an address
        line_start = text.rfind("\n", 0, s) + 1
        if text[line_start:s].strip() == "" and re.match(r"^[.)](?:\s|$)", after):
            return True  # list numbering
        if after.startswith(":") and not after.startswith(": "):
            return True
        # elapsed time dates an event: "hace dos años", "há três anos", "il y a deux ans", "dos años después"
        if c.time_unit_re is not None and c.time_unit_re.match(after):
            if c.elapsed_before is not None and c.elapsed_before.search(before):
                return True
            tail = after[c.time_unit_re.match(after).end():]
            if c.elapsed_after is not None and c.elapsed_after.match(tail):
                return True
        # ages: "de 29 años de edad", "âgé de 62 ans", ", 29 años,", "un hombre de 45 años"
        if c.age_unit and re.match(rf"^\s+{re.escape(c.age_unit)}\b", after, re.I):
            if c.person_re is not None and c.person_re.search(before):
                return True
            if c.age_before is not None and c.age_before.search(before[-20:]) and \
                    re.search(r"(?:edad|âgée?s?|idade)\s+de\s+$|(?:tiene|tenía|tem|tinha|a|avait)\s+$", before, re.I):
                return True
            if re.match(rf"^\s+{re.escape(c.age_unit)}\s*(?:de\s+edad|de\s+idade)", after, re.I):
                return True
            if re.search(r",\s*(?:de\s+)?$", before) and re.match(rf"^\s+{re.escape(c.age_unit)}\s*,", after):
                return True
            if re.search(r"(?:âgée?s?|edad)\s+de\s+$", before, re.I):
                return True
        return False

    def _hedged_before(self, text: str, start: int) -> bool:
        if self.c.approx_re is None:
            return False
        before = text[max(0, start - 30):start]
        before = re.sub(r"(?:US\$|R\$|\$|€|£)\s*$", "", before)
        return bool(self.c.approx_re.search(before))

    def _unit_from(self, m: re.Match[str] | None) -> tuple[str | None, float, int]:
        """(unit, magnitude, end offset in the 'after' string) from the after-number regex."""
        if m is None:
            return None, 1.0, 0
        mult, unit = 1.0, None
        if m.group("mag"):
            key = m.group("mag").strip(SPACES).lower()
            mult = self.c.mag.get(key, 1.0)
            unit = self.c.mag_currency.get(key)
        if m.group("pct"):
            unit = "percent"
        elif m.group("curw"):
            w = m.group("curw").strip(SPACES).lower()
            if w not in self.c.currency_words:
                w = re.sub(r"^(?:\S+\s+(?:los\s+|las\s+)?|d['’])", "", w)
            unit = self.c.currency_words.get(w, unit)
        elif m.group("sym"):
            s = m.group("sym").strip(SPACES)
            unit = self.c.currency_prefix.get(s, unit)
        elif m.group("unit") and mult == 1.0:
            w = re.sub(r"^de\s+", "", m.group("unit").strip(SPACES), flags=re.I).lower()
            unit = self.c.units.get(w)
        return unit, mult, (m.end() - m.start()) if m.group(0) else 0

    def find_figures(self, text: str) -> list[Figure]:
        c = self.c
        figs: list[Figure] = []
        taken: list[tuple[int, int]] = []

        def overlaps(s: int, e: int) -> bool:
            return any(s < te and ts < e for ts, te in taken)

        for m in PHONE_RE.finditer(text):
            if len(re.sub(r"\D", "", m.group())) >= 8 and not re.search(rf"\d[.{SPACES}]\d{{3}}\b", m.group()):
                taken.append((m.start(), m.end()))

        # 1. multipliers and fractions ("se duplicó", "la mitad")
        for rx, kind in ((c.multipliers, "multiplier"), (c.fractions, "fraction")):
            if rx is None:
                continue
            table = self.ld.get("numbers", kind + "s") or {}
            lower = {str(k).lower(): v for k, v in table.items()}
            for m in rx.finditer(text):
                if overlaps(m.start(), m.end()):
                    continue
                v = lower.get(m.group(0).lower())
                if v is None:
                    continue
                if kind == "multiplier":
                    value, direction = float(v[0]), str(v[1])
                else:
                    value, direction = float(v), None
                    if re.match(r"^\s+(?:de\s+)?(?:hora|horas|heure|heures|hour|siècle|siglo|século)", text[m.end():], re.I):
                        continue
                figs.append(Figure(m.start(), m.end(), _clean(value), "percent", self._hedged_before(text, m.start()),
                                   direction, kind, m.group(0)))
                taken.append((m.start(), m.end()))

        # 1b. Mexican "mil 300 cámaras" = 1300, "2 mil 500" = 2500
        if self.mil_re is not None:
            for m in self.mil_re.finditer(text):
                if overlaps(m.start(), m.end()):
                    continue
                value = int(m.group(1) or 1) * 1000 + int(m.group(2))
                am = c.after_re.match(text, m.end())
                unit, mult, adv = self._unit_from(am)
                figs.append(Figure(m.start(), m.end() + adv, _clean(value * mult), unit or "count",
                                   self._hedged_before(text, m.start()), None, "number", text[m.start():m.end() + adv]))
                taken.append((m.start(), m.end() + adv))

        # 2. digit figures
        for m in c.figure.finditer(text):
            n_s, n_e = m.start("num"), m.end("num")
            if overlaps(n_s, n_e):
                continue
            cur = m.group("cur")
            am = c.after_re.match(text, n_e)
            unit, mult, adv = self._unit_from(am)
            if cur:
                unit = c.currency_prefix.get(cur, "USD") if unit in (None, "PESO") or unit == "USD" else unit
                if unit == "USD" and am is not None and am.group("curw"):
                    unit = self._unit_from(am)[0] or unit  # "$500 millones de pesos"
            end = n_e + adv
            has_unit = bool(cur or unit or mult != 1.0)
            if self._not_claim(text, n_s, n_e, m.group("num"), has_unit, bool(cur)):
                taken.append((n_s, n_e))
                continue
            value = parse_local_number(m.group("num"))
            if value is None:
                continue
            if mult >= 1e6 and self.comma_decimal_magnitude and re.fullmatch(r"\d{1,3},\d{3}", m.group("num")):
                # "171,363 milliards", "2,500 milhões": before a magnitude word the comma is the decimal mark
                value = float(m.group("num").replace(",", "."))
            value *= mult
            start = m.start("cur") if cur else n_s
            # ranges "entre 10 y 15 %", "10-15%", "de 20 a 50 millones": the lower bound, unit from the upper
            rm = c.range_re.match(text, end)
            if rm and (unit is None or mult == 1.0):
                m2 = c.figure.match(text, rm.end())
                if m2 and not m2.group("cur") or (m2 and m2.group("cur")):
                    am2 = c.after_re.match(text, m2.end("num"))
                    unit2, mult2, adv2 = self._unit_from(am2)
                    v2 = parse_local_number(m2.group("num"))
                    joiner = rm.group(0).strip().lower()
                    opener = re.search(r"(?<![\w])(?:entre|de|from)\s+(?:US\$|R\$|\$|€)?\s?$", text[max(0, start - 12):start], re.I)
                    from_to = bool(opener) and opener.group(0).strip().lower().startswith("de") and \
                        joiner in ("a", "à", "al", "para")
                    if from_to and unit is None and v2 is not None:
                        unit = unit2  # "bajó de 14 a 9 minutos": 14 minutes (the 9 is its own figure)
                    if v2 is not None and (joiner in ("-", "–") or opener) and not from_to and \
                            not re.fullmatch(r"(?:19|20)\d\d", m2.group("num")):
                        if unit is None:
                            unit = unit2 or (c.currency_prefix.get(m2.group("cur")) if m2.group("cur") else None)
                        if mult == 1.0 and mult2 != 1.0:
                            value *= mult2
                        end = m2.end("num") + adv2
                        taken.append((m2.start(), end))
            if unit is None:
                unit = "count"
            if cur and unit == "count":
                unit = c.currency_prefix.get(cur, "USD")
            figs.append(Figure(start, end, _clean(value), unit, self._hedged_before(text, start), None, "number",
                               text[start:end]))
            taken.append((start, end))

        # 3. number words ("dos mil cámaras", "tres millones de dólares", "vingt-cinq pour cent")
        if c.words_re is not None:
            one_words = {str(w).lower() for w in self.ld.words("numbers", "one_words")}
            for m in c.words_re.finditer(text):
                s, e = m.start("w"), m.end("w")
                if overlaps(s, e):
                    continue
                words = m.group("w")
                am = c.after_re.match(text, e)
                unit, mult, adv = self._unit_from(am)
                if words.lower() in one_words and mult == 1.0:
                    continue  # "un", "una", "une": an article unless a magnitude follows
                if re.fullmatch(r"mil|mille", words, re.I) and mult == 1.0 and not unit:
                    value = 1000.0
                elif words.lower() in one_words:
                    value = 1.0
                else:
                    v = _words_value(words, self.ld.code)
                    if v is None:
                        continue
                    value = v
                if words.lower() in ("mil", "mille") and not re.match(r"^\s+\w", text[e:]):
                    continue
                if not unit and mult == 1.0 and self.anaphoric_before is not None and \
                        self.anaphoric_before.search(text, max(0, s - 12), s):
                    taken.append((s, e))
                    continue  # "les deux villes", "los dos contratos": things already counted, not a new figure
                if self._not_claim(text, s, e, words, bool(unit or mult != 1.0), False):
                    taken.append((s, e))
                    continue
                if (am is not None and am.group("pct")) or mult != 1.0 or unit:
                    pass
                elif value < 2 and not unit:
                    continue
                # a number word directly before a digit figure belongs to something else ("dos 2.000")
                fig_unit = unit or "count"
                if fig_unit in ("years", "months", "weeks", "decades") and self.tenure_before is not None and \
                        self.tenure_before.search(text[max(0, s - 25):s]):
                    continue  # "cumple cinco años", "lleva dos años en el Congreso": an age or tenure, not a claim
                if fig_unit in ("years", "months", "weeks", "decades") and (
                        any(0 <= s - f.end <= 45 and not re.search(r"[.;]", text[f.end:s]) for f in figs)
                        or re.search(r"(?<![\w])(?:de|d['’])\s*$", text[max(0, s - 4):s], re.I)
                        and not re.search(r"(?<![\w])(?:cerca|alrededor|más|menos|mais|plus|moins|près|después|depois|"
                                          r"antes|após|além)\s+(?:de|d['’])\s*$", text[max(0, s - 14):s], re.I)):
                    continue  # "subió un 30 % en tres años", "4 millones sobre cinco años": the span of another
                    # figure; "un piloto de tres meses": a noun's modifier
                figs.append(Figure(s, e + adv, _clean(value * mult), fig_unit, self._hedged_before(text, s), None,
                                   "number", text[s:e + adv]))
                taken.append((s, e + adv))
        figs.sort(key=lambda f: f.start)
        return figs


@lru_cache(maxsize=16)
def numbers_for(ld: LanguageData) -> LocalNumbers:
    return LocalNumbers(ld)


def find_figures(text: str, ld: LanguageData) -> list[Figure]:
    return numbers_for(ld).find_figures(text)


def resolve_currency(unit: str | None, countries: list[str], ld: LanguageData) -> str | None:
    """PESO / CFA / DIRHAM / DINAR / SH -> the ISO 4217 code of the first country in `countries` that uses it."""
    table: dict[str, Any] = ld.get("currencies", "country_codes") or {}
    if unit not in table:
        return unit
    by_country = table[unit] or {}
    for c in countries:
        if c in by_country:
            return str(by_country[c])
    return str(by_country.get("default", unit))
