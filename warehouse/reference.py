"""Loading analyst reference statistics (``reference_stats``) from CSV.

CSV format (UTF-8, header row required, comma-separated)::

    place,metric,period,value,unit,source_url[,note]
    EC,crime rate,2019,-24.1,percent,https://example.org/ecu-stats,official figure

Validation (every problem is reported with its line number; nothing is loaded if any line is bad):
  place       ISO 3166-1 alpha-2 code (two letters, known to pycountry, or XK), upper-cased
  metric      non-empty; lower-cased, whitespace collapsed (same words as claims.metric)
  period      a year (2019) or a range of years (2015-2019)
  value       a plain number (no thousands separators)
  unit        non-empty; % / pct / per cent -> percent, ISO 4217 codes upper-cased, other words lower-cased
  source_url  an http(s) URL
  note        optional
Rows are upserted by (place, metric, period, unit): a row with an existing key replaces it.
"""
from __future__ import annotations

import csv
import math
import re
from pathlib import Path
from typing import Any

import duckdb
import pycountry

from . import lake, sqlfiles
from .store import to_arrow

REQUIRED = ("place", "metric", "period", "value", "unit", "source_url")
OPTIONAL = ("note",)
COLUMNS = REQUIRED + OPTIONAL
MAX_REPORTED = 20

_PERIOD = re.compile(r"^(\d{4})(?:\s*-\s*(\d{4}))?$")
_PERCENT = {"%", "pct", "percent", "per cent", "percentage", "percentage points"}


class ReferenceError(ValueError):
    """A reference CSV that cannot be loaded; the message names the file and line(s)."""


def _statement(name: str) -> str:
    return sqlfiles.statements("queries/_statements.sql")[name]


def _iso2(value: str) -> str | None:
    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        return None
    if code == "XK" or pycountry.countries.get(alpha_2=code) is not None:
        return code
    return None


def _unit(value: str) -> str:
    unit = " ".join(value.split())
    if unit.lower() in _PERCENT:
        return "percent"
    if re.fullmatch(r"[A-Za-z]{3}", unit) and pycountry.currencies.get(alpha_3=unit.upper()) is not None:
        return unit.upper()
    return unit.lower()


def _parse_row(raw: dict[str, str]) -> tuple[dict[str, Any] | None, list[str]]:
    problems: list[str] = []
    get = {k: (raw.get(k) or "").strip() for k in COLUMNS}
    for col in REQUIRED:
        if not get[col]:
            problems.append(f"{col} is empty")
    if problems:
        return None, problems
    place = _iso2(get["place"])
    if place is None:
        problems.append(f"place {get['place']!r} is not an ISO 3166-1 alpha-2 country code (e.g. EC, GB)")
    period = get["period"]
    m = _PERIOD.fullmatch(period)
    if not m:
        problems.append(f"period {period!r} is not a year (2019) or a range of years (2015-2019)")
    elif m.group(2) and int(m.group(2)) < int(m.group(1)):
        problems.append(f"period {period!r} ends before it starts")
    else:
        period = m.group(1) + (f"-{m.group(2)}" if m.group(2) else "")
    try:
        value = float(get["value"])
        if not math.isfinite(value):
            raise ValueError
    except ValueError:
        hint = " (write numbers without thousands separators)" if "," in get["value"] else ""
        problems.append(f"value {get['value']!r} is not a number{hint}")
        value = None
    if not re.match(r"^https?://\S+$", get["source_url"]):
        problems.append(f"source_url {get['source_url']!r} is not an http(s) URL")
    if problems:
        return None, problems
    return {
        "place": place,
        "metric": " ".join(get["metric"].lower().split()),
        "period": period,
        "value": value,
        "unit": _unit(get["unit"]),
        "source_url": get["source_url"],
        "note": get["note"] or None,
    }, []


def read_reference_csv(path: Path | str) -> list[dict[str, Any]]:
    """Parse and validate a reference CSV; raise ReferenceError listing every bad line."""
    path = Path(path)
    if not path.is_file():
        raise ReferenceError(f"{path}: no such file")
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ReferenceError(f"{path}: cannot read: {exc.strerror}") from None
    errors: list[str] = []
    rows: list[dict[str, Any]] = []
    first_line: dict[tuple, int] = {}
    with handle:
        reader = csv.DictReader(handle)
        try:
            header = [h.strip().lower() for h in (reader.fieldnames or [])]
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ReferenceError(f"{path}:1: cannot parse the header: {exc}") from None
        if not header:
            raise ReferenceError(f"{path}: empty file; expected a header line: {','.join(REQUIRED)}[,note]")
        missing = [c for c in REQUIRED if c not in header]
        unknown = [c for c in header if c not in COLUMNS]
        if missing or unknown:
            parts = []
            if missing:
                parts.append(f"missing column(s) {', '.join(missing)}")
            if unknown:
                parts.append(f"unknown column(s) {', '.join(unknown)}")
            raise ReferenceError(f"{path}:1: {'; '.join(parts)}; expected {','.join(REQUIRED)}[,note]")
        reader.fieldnames = header
        try:
            for raw in reader:
                line = reader.line_num
                if not any((v or "").strip() for k, v in raw.items() if k is not None):
                    continue  # blank line
                if raw.get(None):
                    errors.append(f"{path}:{line}: more fields than columns in the header")
                    continue
                row, problems = _parse_row(raw)
                if problems:
                    errors.extend(f"{path}:{line}: {p}" for p in problems)
                    continue
                key = (row["place"], row["metric"], row["period"], row["unit"])
                if key in first_line:
                    errors.append(f"{path}:{line}: duplicate of line {first_line[key]} "
                                  f"(same place, metric, period, unit)")
                    continue
                first_line[key] = line
                rows.append(row)
        except (csv.Error, UnicodeDecodeError) as exc:
            errors.append(f"{path}:{reader.line_num}: cannot parse: {exc}")
    if errors:
        shown = errors[:MAX_REPORTED]
        more = f"\n… and {len(errors) - MAX_REPORTED} more problem(s)" if len(errors) > MAX_REPORTED else ""
        raise ReferenceError(f"{len(errors)} problem(s) in {path}, nothing loaded:\n" + "\n".join(shown) + more)
    if not rows:
        raise ReferenceError(f"{path}: no data rows after the header")
    return rows


def load_reference_csv(con: duckdb.DuckDBPyConnection, path: Path | str) -> dict[str, int]:
    """Validate ``path`` and upsert its rows into reference_stats in one transaction.

    Returns {"rows": n, "inserted": new keys, "updated": replaced keys}.
    """
    rows = read_reference_csv(path)
    con.register("batch", to_arrow(rows, ["place", "metric", "period", "value", "unit", "source_url", "note"]))
    try:
        lake.begin(con)  # BEGIN, under the write lock on a shared lake
        try:
            updated = con.execute(_statement("reference_known_in_batch")).fetchall()[0][0]
            con.execute(_statement("reference_upsert"))
        except BaseException:
            lake.end(con, commit=False)
            raise
        lake.end(con, commit=True)
    finally:
        con.unregister("batch")
    return {"rows": len(rows), "inserted": len(rows) - updated, "updated": updated}
