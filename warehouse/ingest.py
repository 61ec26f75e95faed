"""Warehouse operations used by the ingest and reprocess flows (plain data in, plain data out)."""
from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

import duckdb

from . import lake
from .store import execute, insert, query, query_with_batch, run_with_batch, transaction


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, flow: str, nlp_version: str | None) -> None:
    with transaction(con):
        lock = lake.write_lock(con)
        # on a shared lake a 'running' run may be another live writer's: only mark runs crashed when no
        # other writer is connected
        if lock is None or not lock.other_writers_alive():
            execute(con, "mark_unfinished_runs_crashed")
        execute(con, "start_run", [run_id, flow, nlp_version])


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, status: str, counts: dict[str, Any],
               message: str | None = None) -> dict[str, Any]:
    params = {"run_id": run_id, "status": status, "message": message}
    for key in ("feeds", "feeds_failed", "feeds_not_modified", "items_seen", "items_known", "items_new"):
        params[key] = counts.get(key, 0)
    with transaction(con):
        execute(con, "finish_run", params)
    return query(con, "run_summary", [run_id])[0]


def maintenance_due(con: duckdb.DuckDBPyConnection, task: str, every_days: int) -> bool:
    """Has `task` never run, or not for `every_days` days?"""
    return bool(execute(con, "maintenance_due", {"task": task, "days": every_days}).fetchone()[0])


def maintenance_done(con: duckdb.DuckDBPyConnection, task: str, seconds: float, run_id: str) -> None:
    with transaction(con):
        execute(con, "maintenance_done", {"task": task, "seconds": seconds, "run_id": run_id})


def sync_feeds(con: duckdb.DuckDBPyConnection, specs: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add/refresh feeds from a feed list; return their stored state (etag, failures …)."""
    cols = ["url", "title", "html_url", "category"]
    with transaction(con):
        if specs:
            run_with_batch(con, "upsert_feeds", specs, cols)
    if not specs:
        return []
    return query_with_batch(con, "feeds_for_urls", specs, cols)


def list_feeds(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return query(con, "list_feeds")


def record_feed_fetch(con: duckdb.DuckDBPyConnection, run_id: str, feed_id: int, *, status: str,
                      http_status: int | None, entries: int, seconds: float, error: str | None,
                      detail: str | None, etag: str | None, last_modified: str | None, title: str | None,
                      items: Sequence[dict[str, Any]]) -> int:
    """Record one feed fetch and its new items in one transaction; return how many items were new."""
    with transaction(con):
        new = query_with_batch(con, "new_items_in_batch", items) if items else []
        insert(con, "insert_items", new)
        execute(con, "insert_feed_fetch", [run_id, feed_id, status, http_status, entries, len(new),
                                            seconds, error, detail])
        if status == "failed":
            execute(con, "feed_failed", [error, feed_id])
        else:
            execute(con, "feed_ok", [etag, last_modified, title, len(new), feed_id])
    return len(new)


def pending_items(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return query(con, "pending_items")


def recent_minhashes(con: duckdb.DuckDBPyConnection, days: int, limit: int = 200_000) -> list[tuple[str, str, bytes]]:
    """(item_id, cluster_id, signature) of the newest ``limit`` articles of the last ``days``, oldest first."""
    return execute(con, "recent_minhashes", [days, limit]).fetchall()


def known_content_hashes(con: duckdb.DuckDBPyConnection, hashes: Sequence[str]) -> dict[str, str]:
    if not hashes:
        return {}
    rows = query_with_batch(con, "known_content_hashes", [{"content_hash": h} for h in hashes])
    return {r["content_hash"]: r["item_id"] for r in rows}


def store_batch(con: duckdb.DuckDBPyConnection, *, articles: Sequence[dict[str, Any]],
                outcomes: Sequence[dict[str, Any]], mentions: Sequence[dict[str, Any]],
                claims: Sequence[dict[str, Any]], deals: Sequence[dict[str, Any]],
                vendor_candidates: Sequence[dict[str, Any]] = ()) -> None:
    """All rows of one batch, all or nothing. Outcomes are written last in the same transaction,
    so an item has an outcome if and only if its article and tags are stored."""
    with transaction(con):
        # Another writer of a shared lake may have stored some of these items meanwhile (it picked them up
        # as pending too): the first commit wins, these rows are dropped.
        decided = {r["item_id"] for r in query_with_batch(con, "decided_in_batch", outcomes, ["item_id"])}
        if decided:
            articles, mentions, claims, deals, vendor_candidates, outcomes = (
                [r for r in rows if r["item_id"] not in decided]
                for rows in (articles, mentions, claims, deals, vendor_candidates, outcomes))
        insert(con, "insert_articles", articles)
        insert(con, "insert_mentions", mentions)
        insert(con, "insert_claims", claims)
        insert(con, "insert_deals", deals)
        insert(con, "insert_vendor_candidates", vendor_candidates)
        insert(con, "insert_outcomes", outcomes)


def articles_to_reprocess(con: duckdb.DuckDBPyConnection, nlp_version: str, all_articles: bool,
                          gate_version: str | None = None) -> list[dict[str, Any]]:
    """Articles tagged by another nlp version (or all), and out-of-scope articles the current relevance gate
    (``gate_version``; None = the gate is off, which re-checks every out-of-scope article) has not checked."""
    return query(con, "articles_to_reprocess", {"all": all_articles, "nlp_version": nlp_version,
                                                "gate_version": gate_version})


def replace_tags(con: duckdb.DuckDBPyConnection, item_ids: Sequence[str], nlp_version: str, *,
                 mentions: Sequence[dict[str, Any]], claims: Sequence[dict[str, Any]],
                 deals: Sequence[dict[str, Any]], vendor_candidates: Sequence[dict[str, Any]] = (),
                 languages: Sequence[dict[str, Any]] = ()) -> None:
    """Swap the tags of `item_ids` for a new tagger's: all tag tables (vendor candidates included)
    are deleted for those items, then the given rows inserted, in one transaction. `languages`, one dict
    per item in the same order (language, language_confidence, tagging, gate_version, gate_reason), updates the
    articles' language and gate outcome."""
    langs = list(languages) or [{} for _ in item_ids]
    rows = [{"item_id": i, "nlp_version": nlp_version, "language": l.get("language"),
             "language_confidence": l.get("language_confidence"), "tagging": l.get("tagging"),
             "gate_version": l.get("gate_version"), "gate_reason": l.get("gate_reason")}
            for i, l in zip(item_ids, langs)]
    with transaction(con):
        run_with_batch(con, "delete_tags_for_batch", rows)
        insert(con, "insert_mentions", mentions)
        insert(con, "insert_claims", claims)
        insert(con, "insert_deals", deals)
        insert(con, "insert_vendor_candidates", vendor_candidates)
        run_with_batch(con, "set_nlp_version", rows)


def run_report(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, Any]:
    """Everything the end-of-run summary shows."""
    return {
        "run": query(con, "run_summary", [run_id])[0],
        "tags": query(con, "run_tag_counts", {"run_id": run_id})[0],
        "item_errors": query(con, "run_errors", [run_id]),
        "feed_errors": query(con, "run_feed_errors", [run_id]),
    }


def articles_with_blobs(con: duckdb.DuckDBPyConnection, limit: int) -> list[dict[str, Any]]:
    """Up to ``limit`` articles whose raw page is still a pre-008 blob in the warehouse."""
    return query(con, "articles_with_blobs", [limit])


def set_warc_refs(con: duckdb.DuckDBPyConnection, refs: Sequence[dict[str, Any]]) -> None:
    """Point articles at their WARC records (item_id, warc_file, warc_offset, warc_length) and drop the blobs."""
    with transaction(con):
        run_with_batch(con, "set_warc_refs", refs, ["item_id", "warc_file", "warc_offset", "warc_length"])


def backfill_item_state(con: duckdb.DuckDBPyConnection, item_ids: Sequence[str]) -> dict[str, tuple[bool, bool]]:
    """item_id -> (known, decided) for candidate backfill items."""
    if not item_ids:
        return {}
    rows = query_with_batch(con, "backfill_item_state", [{"item_id": i} for i in item_ids])
    return {r["item_id"]: (bool(r["known"]), bool(r["decided"])) for r in rows}


def insert_backfill_items(con: duckdb.DuckDBPyConnection, items: Sequence[dict[str, Any]]) -> None:
    with transaction(con):
        insert(con, "insert_items", items)


def pending_backfill_items(con: duckdb.DuckDBPyConnection, source: str, ref: str) -> list[dict[str, Any]]:
    return query(con, "pending_backfill_items", [source, ref])


def article_pages(con: duckdb.DuckDBPyConnection, item_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Where the raw pages of these articles are (WARC reference or legacy blob)."""
    if not item_ids:
        return []
    return query_with_batch(con, "article_pages", [{"item_id": i} for i in item_ids])


def articles_to_reextract(con: duckdb.DuckDBPyConnection, extract_version: str, *, unknown: bool,
                          everything: bool = False) -> list[dict[str, Any]]:
    """Page articles extracted with another fingerprint than ``extract_version`` (``unknown``: NULL ones too;
    ``everything``: every page article, misses recorded before included), with their items' feed fields."""
    return query(con, "articles_to_reextract", {"extract_version": extract_version, "unknown": unknown,
                                                "everything": everything})


def set_extraction(con: duckdb.DuckDBPyConnection, articles: Sequence[dict[str, Any]],
                   misses: Sequence[dict[str, Any]]) -> None:
    """Store re-extracted articles (left for re-tagging and re-indexing) and the misses, in one transaction."""
    cols = ["item_id", "title", "author", "published_at", "site_name", "language", "text", "word_count",
            "content_hash", "minhash", "extract_version"]
    with transaction(con):
        if articles:
            run_with_batch(con, "set_extraction", articles, cols)
        insert(con, "insert_reextract_misses", misses)
