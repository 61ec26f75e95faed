"""Ranked keyword search over stored articles (BM25), implemented inside the warehouse.

Why not DuckDB's ``fts`` extension (measured with bench/fts.py; it loads offline from the pinned
``duckdb-extension-fts==1.5.5``): at 200,000 generated articles its index builds faster (53 s against 170 s for
a full rebuild of ours), but it is a snapshot of the table, rebuilt over every article by
``PRAGMA create_fts_index`` after each run, where ours is maintained per stored batch; and its queries were
slower (1.1-2.0 s against 0.4-1.3 s), with 1-4 of the top 10 in common (different tokenising and stemming).
So survwatch keeps its own index in two tables (migration 002):

* ``search_terms (term, item_id, tf)`` — postings, one row per term per article;
* ``search_docs (item_id, doc_len, indexed_at)`` — indexed articles and their BM25 length.

Tokenising is SQL (macro ``search_terms_of`` in ``warehouse/views/00_macros.sql``): lower-case,
accents stripped, split on anything but letters/digits, one-letter words and a short stop-word list
dropped, plurals stemmed (Harman S-stemmer: cameras -> camera, policies -> policy, matches -> match).
Title words count 3 times (a title hit weighs more). Ranking is Okapi BM25 (k1 = 1.2, b = 0.75),
any query term may match and documents matching more terms rank higher; the SQL is the named
statement ``search_bm25`` in ``warehouse/queries/_statements.sql``.

The ingest flow calls :func:`index_articles` with the item ids of each stored batch, and the
reprocess flow with the ids it re-tagged; re-indexing an article replaces its postings. Changing the
tokeniser macro requires re-indexing everything (:func:`reindex_all`).

The same call maintains the *rollups* behind the analyst views (migration 002: rollup_entity_weeks,
rollup_vendor_country_months, rollup_claims, rollup_claim_groups). Counting distinct articles per
entity over ~10M mentions takes seconds on two cores; the views read these small pre-aggregations
instead and answer in milliseconds. Weekly/monthly rollups are recomputed for the weeks/months of the
given items (they count by coalesce(articles.dated_at, items.first_seen_at), so a nightly batch touches the current
ones only), claim groups for the (metric family, place, unit, direction) partitions their claims touch. A run's
index stage (:func:`index_pending`) marks the weeks, months and partitions instead and recomputes each once at the
end. The data check
``warehouse/queries/checks_rollups.sql`` reports any rollup that disagrees with the base tables; after
editing metric_families, run :func:`reindex_all`.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import duckdb

from . import lake, sqlfiles
from .store import to_arrow

SNIPPET_CHARS = 200
_BATCH = 100_000  # ids per statement when (re)indexing many articles
PENDING_CHUNK = 5_000  # articles per transaction in index_pending: bounds its memory, not the run's size
MIN_PENDING_CHUNK = 250  # index_pending halves its chunk down to this when DuckDB runs out of memory


def _statement(name: str) -> str:
    return sqlfiles.statements("queries/_statements.sql")[name]


def _with_batch(con: duckdb.DuckDBPyConnection, ids: Sequence[str], *names: str) -> int | None:
    """Run named statements with ``ids`` registered as the table ``batch``; return the last scalar."""
    con.register("batch", to_arrow([{"item_id": i} for i in ids], ["item_id"]))
    try:
        result = None
        for name in names:
            cur = con.execute(_statement(name))
            result = cur.fetchall()[0][0] if cur.description else None
        return result
    finally:
        try:
            con.unregister("batch")
        except duckdb.Error:
            pass  # an aborted transaction refuses it; keep the original error


def _in_transaction(con: duckdb.DuckDBPyConnection, work, own: bool = True) -> Any:
    """Run ``work()`` in a transaction of its own, or (own=False) in the caller's open transaction.

    DuckDB cannot tell whether a transaction is open (a nested BEGIN aborts the outer one),
    so the caller says so.
    """
    if own:
        lake.begin(con)  # BEGIN, under the write lock on a shared lake
    try:
        result = work()
    except BaseException:
        if own:
            lake.end(con, commit=False)
        raise
    if own:
        lake.end(con, commit=True)
    return result


def _index_terms(con: duckdb.DuckDBPyConnection, ids: list[str]) -> int:
    indexed = 0
    for start in range(0, len(ids), _BATCH):
        chunk = ids[start:start + _BATCH]
        if _with_batch(con, chunk, "search_indexed_in_batch"):
            _with_batch(con, chunk, "search_unindex_batch")
        indexed += _with_batch(con, chunk, "search_index_batch", "search_indexed_in_batch") or 0
    return indexed


_CLAIM_ROLLUPS = ("spread_partitions_before", "rollup_claims_refresh", "spread_partitions_after")
CLAIMS_PER_REFRESH = 50_000  # claims whose groups refresh_stale_rollups recomputes in one statement (about)


def _refresh_rollups(con: duckdb.DuckDBPyConnection, ids: list[str]) -> None:
    _with_batch(con, ids, "rollup_buckets_of_batch", "rollup_bucket_items", "rollup_entity_weeks_refresh",
                "rollup_vendor_country_months_refresh", *_CLAIM_ROLLUPS, "rollup_claim_groups_refresh")
    con.execute(_statement("rollup_cleanup"))  # temp tables; on error they go with the rollback


def _index_and_roll_up(con: duckdb.DuckDBPyConnection, ids: list[str]) -> int:
    indexed = _index_terms(con, ids)
    _refresh_rollups(con, ids)
    return indexed


def _index_and_mark(con: duckdb.DuckDBPyConnection, ids: list[str]) -> int:
    """A chunk of :func:`index_pending`: postings and the per-article claim rollups now, its weeks and months only
    marked stale (recomputed once each by :func:`refresh_stale_rollups`)."""
    indexed = _index_terms(con, ids)
    _with_batch(con, ids, "rollup_buckets_of_batch", "rollup_mark_stale", *_CLAIM_ROLLUPS,
                "rollup_mark_stale_partitions")
    con.execute(_statement("rollup_cleanup"))
    return indexed


def _refresh_bucket(con: duckdb.DuckDBPyConnection, rollup: str, bucket_start: dt.date) -> None:
    params = {"rollup": rollup, "bucket_start": bucket_start}
    con.execute(_statement("rollup_week_of_stale"), params)
    con.execute(_statement("rollup_month_of_stale"), params)
    for name in ("rollup_bucket_items", "rollup_entity_weeks_refresh", "rollup_vendor_country_months_refresh"):
        con.execute(_statement(name))
    con.execute(_statement("rollup_unmark_stale"), params)
    con.execute(_statement("rollup_cleanup"))


def _refresh_partition_group(con: duckdb.DuckDBPyConnection, grp: int) -> None:
    con.execute(_statement("spread_partitions_of_group"), {"grp": grp})
    con.execute(_statement("rollup_claim_groups_refresh"))
    con.execute(_statement("rollup_unmark_stale_partitions"))


def refresh_stale_rollups(con: duckdb.DuckDBPyConnection, claims_per_refresh: int = CLAIMS_PER_REFRESH) -> int:
    """Recompute what the index stage marked stale: every weekly / monthly rollup bucket (table ``rollup_stale``),
    one bucket per transaction, then the claim groups of every marked partition (``rollup_stale_partitions``), in
    groups of about ``claims_per_refresh`` claims per transaction; each transaction clears its marks. Returns how
    many buckets and partition groups. Memory follows the largest bucket's articles or partition group's claims,
    not the warehouse or the run."""
    buckets = con.execute(_statement("rollup_stale_buckets")).fetchall()
    for rollup, bucket_start in buckets:
        _in_transaction(con, lambda: _refresh_bucket(con, rollup, bucket_start))
    con.execute(_statement("rollup_stale_partition_groups"), {"claims": claims_per_refresh})
    try:
        groups = [r[0] for r in con.execute(_statement("stale_partition_group_numbers")).fetchall()]
        for grp in groups:
            _in_transaction(con, lambda: _refresh_partition_group(con, grp))
    finally:
        con.execute(_statement("rollup_cleanup"))
    return len(buckets) + len(groups)


def index_articles(con: duckdb.DuckDBPyConnection, item_ids: Sequence[str], *,
                   own_transaction: bool = True) -> int:
    """Index articles for analysts; return how many articles got keyword postings.

    Call it after storing a batch and after re-tagging articles (reprocess). It
    (1) replaces the keyword postings of these articles, and
    (2) recomputes the rollups behind the analyst views (rollup_entity_weeks for every ISO week and
        rollup_vendor_country_months for every month these items belong to, rollup_claims for
        these items, rollup_claim_groups for every (metric family, place, unit, direction) their
        claims touch), so mentions_weekly, trending, vendor_country and the claim views include them.
    Stored articles that are not in the keyword index yet (stored by a run that died before it
    indexed them) are picked up too, so calling it once at the end of a run is enough (runs call
    :func:`index_pending`, the same in transactions of bounded size); after every
    batch is fine as well (the cost is mostly per call, not per article: about one second at 1M
    articles). Ids without an article are ignored. All or nothing: by default it runs in a transaction of its
    own; inside an open transaction (e.g. the batch's own) pass ``own_transaction=False`` and it
    commits or rolls back with it.
    """
    given = [i for i in item_ids if i]

    def work() -> int:
        missing = [r[0] for r in con.execute(_statement("search_unindexed_articles")).fetchall()]
        ids = list(dict.fromkeys(given + missing))
        return _index_and_roll_up(con, ids) if ids else 0

    return _in_transaction(con, work, own_transaction)


def index_pending(con: duckdb.DuckDBPyConnection, chunk: int = PENDING_CHUNK,
                  min_chunk: int = MIN_PENDING_CHUNK) -> int:
    """Index every stored article not in the keyword index yet, ``chunk`` articles per transaction in date order,
    then recompute the weekly and monthly rollups and claim groups they touched, each once; return how many got
    postings.
    What a run calls once at its end. A run killed half-way leaves the rest unindexed (or buckets marked), and the
    next call picks them up.

    Why chunks: one transaction over all of a 50,000-record backfill's articles ran out of memory under a 128 MB
    DuckDB limit (the postings of every article at once). Why the weekly/monthly buckets and the claim-group
    partitions wait until the end (marked in tables ``rollup_stale`` / ``rollup_stale_partitions`` by each chunk's
    transaction, recomputed by :func:`refresh_stale_rollups`): recomputing a bucket reads all its articles and a
    partition all its claims, and a busy week, a backfill dated in one month or a common kind of claim would be read
    again for every chunk (measured: a 100,000-article backfill dated in one month reread that month and its 264,000
    claims 20 times, and failed at 96 MB whatever the chunk size). Per-article claim rows go with each chunk.

    The memory a chunk may use is what DuckDB's ``memory_limit`` leaves beside what the warehouse already holds
    (its key indexes grow with the tables): when a chunk runs out of memory it is rolled back and retried at half
    the size, down to ``min_chunk``; only then is the error raised (the articles stay stored and pending)."""
    indexed, after, after_dated = 0, "", dt.datetime.min
    while True:
        rows = con.execute(_statement("search_unindexed_articles_after"),
                           {"after": after, "after_dated": after_dated, "limit": chunk}).fetchall()
        if not rows:
            refresh_stale_rollups(con)  # also the marks a killed run left
            return indexed
        ids = [r[0] for r in rows]
        try:
            indexed += _in_transaction(con, lambda: _index_and_mark(con, ids))
        except duckdb.OutOfMemoryException:
            if chunk <= min_chunk:
                raise
            chunk = max(min_chunk, chunk // 2)
            continue
        after, after_dated = rows[-1]


def refresh_rollups(con: duckdb.DuckDBPyConnection, item_ids: Sequence[str], *,
                    own_transaction: bool = True) -> None:
    """Only part (2) of :func:`index_articles`: recompute the view rollups for these items."""
    ids = list(dict.fromkeys(i for i in item_ids if i))
    if ids:
        _in_transaction(con, lambda: _refresh_rollups(con, ids), own_transaction)


def reindex_all(con: duckdb.DuckDBPyConnection) -> int:
    """Rebuild the keyword index and every rollup from the base tables (after a tokeniser change,
    or once for a warehouse that was filled before migration 002)."""
    ids = [r[0] for r in con.execute(_statement("search_all_article_ids")).fetchall()]
    if not ids:
        return 0

    def work() -> int:
        indexed = _index_and_roll_up(con, ids)
        con.execute(_statement("rollup_unmark_all"))
        con.execute(_statement("search_compact"))
        return indexed

    return _in_transaction(con, work)


def compact_index(con: duckdb.DuckDBPyConnection, *, own_transaction: bool = True) -> None:
    """Rewrite the postings sorted by term (run now and then, e.g. weekly, and after reindex_all).

    New postings are appended in article order, so a query scans every row group of search_terms;
    sorted, DuckDB's zone maps skip all but the row groups of the query terms (measured on 30M
    postings: 0.3-0.4 s unsorted, 4-14 ms sorted). Takes about as long as copying the table.
    """
    _in_transaction(con, lambda: con.execute(_statement("search_compact")), own_transaction)


def query_terms(con: duckdb.DuckDBPyConnection, query: str) -> list[str]:
    """The index terms of a query string."""
    return con.execute(_statement("search_query_terms"), {"query": query}).fetchall()[0][0] or []


def _fold(text: str) -> str:
    """Lower-case and strip accents character by character, keeping offsets (cámaras -> camaras)."""
    out = []
    for ch in text:
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)).lower()
        out.append(base[0] if len(base) == 1 else ch)
    return "".join(out)


def _snippet(text: str | None, terms: Sequence[str]) -> str:
    """About SNIPPET_CHARS characters of ``text`` around the first word starting like a query term."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    # A stem is a prefix of its surface forms, except -y/-ies (policy/policies): drop a final y.
    prefixes = sorted({t[:-1] if t.endswith("y") and len(t) > 3 else t for t in terms}, key=len, reverse=True)
    match = None
    if prefixes:
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in prefixes) + r")")
        match = pattern.search(_fold(text))
    if match is None:
        start = 0
    else:
        start = max(0, match.start() - SNIPPET_CHARS // 3)
        space = text.rfind(" ", 0, start)
        start = space + 1 if start and space >= 0 else start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return ("…" if start > 0 else "") + text[start:end] + ("…" if end < len(text) else "")


def search(con: duckdb.DuckDBPyConnection, query: str, limit: int = 20) -> list[dict[str, Any]]:
    """Articles matching ``query``, best first: item_id, url, title, outlet, score, snippet.

    Works on read-only connections. A query with no indexable word returns [].
    """
    terms = query_terms(con, query)
    if not terms or limit <= 0:
        return []
    cur = con.execute(_statement("search_bm25"), {"terms": terms, "limit": int(limit)})
    names = [d[0] for d in cur.description]
    results = []
    for row in cur.fetchall():
        r = dict(zip(names, row))
        results.append({"item_id": r["item_id"], "url": r["url"], "title": r["title"], "outlet": r["outlet"],
                        "score": float(r["score"]), "snippet": _snippet(r["text"], terms)})
    return results
