"""Display formatting of the digest: numbers, figures, claims, labels, sparklines, links."""
from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

from .text import clean, safe_url

TOP = 5  # lines per list; the rest is "and N more"
CHART_VENDORS = 5
SPARK = "▁▂▃▄▅▆▇█"


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


@cache
def country_name(code: str | None) -> str:
    if not code:
        return ""
    try:
        import pycountry

        c = pycountry.countries.get(alpha_2=code.upper())
    except Exception:  # pycountry missing or odd input: the code is still meaningful
        c = None
    if c is None:
        return {"XK": "Kosovo", "EU": "European Union"}.get(code.upper(), code)
    return getattr(c, "common_name", None) or c.name


@cache
def technology_labels(seeds_dir: str) -> dict[str, str]:
    """Technology id -> label from seeds/technologies.yaml (empty when unreadable)."""
    try:
        import yaml

        entries = yaml.safe_load((Path(seeds_dir) / "technologies.yaml").read_text(encoding="utf-8")) or []
        return {e["id"]: e.get("label") or e["id"] for e in entries if isinstance(e, dict) and "id" in e}
    except Exception:
        return {}


def _num(v: float) -> str:
    if float(v).is_integer():
        return f"{v:,.0f}"
    return f"{v:,.2f}".rstrip("0").rstrip(".") if abs(v) < 10 else f"{v:,.1f}".rstrip("0").rstrip(".")


def _compact(v: float) -> str:
    a = abs(v)
    if a >= 1e9:
        return f"{_num(round(v / 1e9, 2))} billion"
    if a >= 1e6:
        return f"{_num(round(v / 1e6, 2))} million"
    return _num(v)


def fmt_value(value: float | None, unit: str | None) -> str:
    if value is None:
        return "?"
    unit = clean(unit, 20)
    if unit == "percent":
        return f"{_num(value)}%"
    if unit == "count" or not unit:
        return _compact(value)
    if len(unit) == 3 and unit.isalpha() and unit.isupper():  # ISO 4217
        return f"{unit} {_compact(value)}"
    return f"{_num(value)} {unit}"


def fmt_claim(metric: str | None, direction: str | None, value: float | None, unit: str | None) -> str:
    what = clean(metric, 60) or "figure"
    figure = fmt_value(value, unit)
    if direction == "decrease":
        return f"{what} down {figure}"
    if direction == "increase":
        return f"{what} up {figure}"
    return f"{what}: {figure}"


def fmt_signed(x: float) -> str:
    s = _num(round(abs(x), 1))
    return ("+" if x > 0 else "−" if x < 0 else "±") + s


def sparkline(values: list[int]) -> str:
    top = max(values or [0])
    if top <= 0:
        return SPARK[0] * len(values)
    return "".join(SPARK[0] if v <= 0 else SPARK[min(7, 1 + round(v / top * 6))] for v in values)


def _link(url: Any, title: Any, outlet: Any) -> dict[str, Any]:
    u = safe_url(url)
    title = clean(title, 110) or clean(url, 80) or "(untitled)"
    return {"url": u, "title": title, "short": clean(title, 66), "outlet": clean(outlet, 50)}


def _day(ts: dt.datetime | dt.date | None) -> str:
    return ts.strftime("%d %b %Y").lstrip("0") if ts else "never"
