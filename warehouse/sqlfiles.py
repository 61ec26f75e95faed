"""Load SQL from .sql files: whole files (migrations, views) or named statements.

Named statements follow the yesql/aiosql convention::

    -- name: mark_feed_ok
    -- Why this statement exists, briefly.
    UPDATE feeds SET ...;
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
_NAME = re.compile(r"^--\s*name:\s*([A-Za-z_][A-Za-z0-9_]*)\s*$", re.M)


def read(relpath: str) -> str:
    return (HERE / relpath).read_text(encoding="utf-8")


@cache
def statements(relpath: str = "statements.sql") -> dict[str, str]:
    text = read(relpath)
    parts = _NAME.split(text)
    # parts = [preamble, name1, body1, name2, body2, ...]
    return {name: body.strip().rstrip(";") for name, body in zip(parts[1::2], parts[2::2])}


def stmt(name: str) -> str:
    try:
        return statements()[name]
    except KeyError:
        raise KeyError(f"no statement named {name!r} in warehouse/statements.sql") from None
