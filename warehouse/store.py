"""Writing to the warehouse: bulk, batch-at-a-time, one transaction per batch.

Rows arrive as lists of dicts; each list becomes one Arrow table that DuckDB
reads in a single INSERT … SELECT (no row-at-a-time executemany).
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import duckdb
import pyarrow as pa

from . import lake
from .sqlfiles import stmt

# Arrow types for the columns we write, so empty or all-NULL batches keep their types.
_TYPES: dict[str, pa.DataType] = {
    "item_id": pa.string(), "canonical_url": pa.string(), "url": pa.string(), "guid": pa.string(),
    "feed_id": pa.int32(), "title": pa.string(), "summary": pa.string(), "author": pa.string(),
    "published_at": pa.timestamp("us"), "first_seen_at": pa.timestamp("us"), "run_id": pa.string(),
    "outcome": pa.string(), "reason": pa.string(), "detail": pa.string(), "recorded_at": pa.timestamp("us"),
    "final_url": pa.string(), "outlet": pa.string(), "http_status": pa.int32(), "fetched_at": pa.timestamp("us"),
    "site_name": pa.string(), "language": pa.string(), "text": pa.string(), "text_source": pa.string(),
    "word_count": pa.int32(), "content_hash": pa.string(), "cluster_id": pa.string(), "minhash": pa.binary(),
    "raw_html_gz": pa.binary(), "nlp_version": pa.string(), "entity_type": pa.string(), "entity": pa.string(),
    "surface": pa.string(), "start_char": pa.int32(), "end_char": pa.int32(), "claim_no": pa.int32(),
    "sentence": pa.string(), "metric": pa.string(), "direction": pa.string(), "value": pa.float64(),
    "unit": pa.string(), "place": pa.string(), "year": pa.int32(), "source": pa.string(), "hedged": pa.bool_(),
    "vendor": pa.string(), "country": pa.string(), "kind": pa.string(), "technology": pa.string(),
    "evidence": pa.string(), "html_url": pa.string(), "category": pa.string(), "name": pa.string(),
    "cue": pa.string(), "origin": pa.string(), "language_confidence": pa.float64(), "tagging": pa.string(),
    "warc_file": pa.string(), "warc_offset": pa.int64(), "warc_length": pa.int64(), "dated_at": pa.timestamp("us"),
    "ingest_source": pa.string(), "source_ref": pa.string(),
}


def to_arrow(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> pa.Table:
    # every key of every row: a batch's first row may lack columns later rows carry (a feed-summary article has no
    # warc_file), and taking the first row's keys would drop them for the whole batch
    columns = list(columns or dict.fromkeys(k for r in rows for k in r))
    schema = pa.schema([(c, _TYPES.get(c, pa.string())) for c in columns])
    return pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows], schema=schema)


def run_with_batch(con: duckdb.DuckDBPyConnection, name: str, rows: Sequence[dict[str, Any]],
                   columns: Sequence[str] | None = None, params: Any = None) -> list[dict[str, Any]]:
    """Run named statement ``name`` with ``rows`` visible as the table ``batch``; return its rows."""
    table = to_arrow(rows, columns)
    con.register("batch", table)
    try:
        cur = con.execute(stmt(name), params) if params is not None else con.execute(stmt(name))
        # Results stream in DuckDB 2: read them before the batch view goes away.
        return fetch_dicts(cur) if cur.description else []
    finally:
        con.unregister("batch")


def insert(con: duckdb.DuckDBPyConnection, name: str, rows: Sequence[dict[str, Any]]) -> int:
    if not rows:
        return 0
    run_with_batch(con, name, rows)
    return len(rows)


def fetch_dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One batch, all or nothing: a crash mid-batch leaves no partial rows. On a shared lake the
    transaction holds the write lock (warehouse/lake.py), so its anti-join inserts see every earlier commit."""
    lake.begin(con)
    try:
        yield con
    except BaseException:
        lake.end(con, commit=False)
        raise
    lake.end(con, commit=True)


def execute(con: duckdb.DuckDBPyConnection, name: str, params: Any = None) -> duckdb.DuckDBPyConnection:
    return con.execute(stmt(name), params) if params is not None else con.execute(stmt(name))


def query(con: duckdb.DuckDBPyConnection, name: str, params: Any = None) -> list[dict[str, Any]]:
    return fetch_dicts(execute(con, name, params))


def query_with_batch(con: duckdb.DuckDBPyConnection, name: str, rows: Sequence[dict[str, Any]],
                     columns: Sequence[str] | None = None, params: Any = None) -> list[dict[str, Any]]:
    return run_with_batch(con, name, rows, columns, params)
