"""The Prefect flow ``reprocess``: bring stored articles up to the current extraction and tagger without
refetching anything (another job than the nightly ingest, flows/ingest.py: it reads the warehouse and its WARC
archive, never the web).

1. Re-extract: page articles whose ``extract_version`` (flows/extract.py ``extract_fingerprint``: our extraction
   settings + the trafilatura version) is another one are extracted again from their WARC record with the nightly
   run's own ``build_article``; text, title, author, dates, site name, word count and content hash are replaced.
   NULL (stored before migration 010: unknown) is re-extracted only with ``re_extract`` (``--re-extract``), so an
   upgrade never rewrites every article unasked. A page that cannot be read (no raw page kept, WARC file deleted,
   no record at the offset) or no longer gives an article is recorded in ``reextract_misses`` with a reason and
   keeps its text and tags; later runs with the same fingerprint skip it.
2. Re-tag: articles of another nlp version (re-extracted ones are left with nlp_version NULL by the same
   transaction, so a killed run re-tags them next time), every article with ``all_articles``, and out-of-scope
   articles when the relevance gate changed.

Extraction runs in this process, not in the nightly run's worker pool: the pages passed its time and memory
limits once, and a failure is recorded per page (``extract_error``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow

import warehouse
from warehouse import ingest as wh
from warehouse import search

from . import dedup, extract, progress, warc
from .fetch import FetchResult
from .ingest import _run_id
from .pipeline import build_article, gate_version, language_fields, now, tag_rows, tag_texts
from .settings import Settings
from .stopping import deferred, run_ending


@flow(name="reprocess", log_prints=False)
def reprocess(db_path: str | None = None, all_articles: bool = False, settings: Settings | None = None,
              re_extract: bool = False) -> dict[str, Any]:
    """Re-extract articles from their WARC records when the extraction changed (``re_extract``: also those of
    unknown extraction; with ``all_articles``: every page article), then re-tag articles whose tags come from
    another nlp version (or all of them), and re-check the out-of-scope articles when the relevance gate changed
    (its vocabulary or the gazetteers): those that now pass are tagged. Articles tagged before stay tagged (the
    gate only decides for out_of_scope ones)."""
    from nlp import NLP_VERSION

    s = settings or Settings()
    db = Path(db_path) if db_path else s.db
    con = warehouse.open_for_writing(db, s.db_memory_mb)
    run_id = _run_id()
    done = rechecked = now_in_scope = 0
    fingerprint = extract.extract_fingerprint()
    ext = {"reextracted": 0, "reextract_misses": {}}
    status, message = "completed", None
    try:
        wh.start_run(con, run_id, "reprocess", NLP_VERSION)
        _re_extract(con, db, s, run_id, fingerprint, ext, unknown=re_extract, everything=re_extract and all_articles)
        rows = wh.articles_to_reprocess(con, NLP_VERSION, all_articles, gate_version(s))
        rechecked = sum(r.get("tagging") == "out_of_scope" for r in rows)
        for i in range(0, len(rows), s.batch_size):
            chunk = rows[i:i + s.batch_size]
            if i == 0:
                progress.start("reprocess", "articles re-tagged", len(rows))
            tags = tag_texts(s, [r["text"][: s.max_tag_chars] for r in chunk], [r.get("language") for r in chunk],
                             gated=[r.get("tagging") == "out_of_scope" for r in chunk])
            now_in_scope += sum(r.get("tagging") == "out_of_scope" and t.get("tagging") != "out_of_scope"
                                for r, t in zip(chunk, tags))
            mentions, claims, deals, candidates = [], [], [], []
            languages = [language_fields(t) for t in tags]
            for r, t in zip(chunk, tags):
                out = tag_rows(r["item_id"], t, NLP_VERSION)
                mentions += out["mentions"]
                claims += out["claims"]
                deals += out["deals"]
                candidates += out["vendor_candidates"]
            with deferred():
                wh.replace_tags(con, [r["item_id"] for r in chunk], NLP_VERSION,
                                mentions=mentions, claims=claims, deals=deals, vendor_candidates=candidates,
                                languages=languages)
            done += len(chunk)
            progress.advance("reprocess", len(chunk))
        with deferred():
            search.refresh_rollups(con, [r["item_id"] for r in rows])
            search.index_pending(con)  # re-extracted articles lost their postings with their old text
    except BaseException as exc:
        status, message = run_ending(exc, run_id, f" after re-extracting {ext['reextracted']} and re-tagging {done} "
                                                  "articles; run it again to finish")
        raise
    finally:
        wh.finish_run(con, run_id, status, {"items_seen": done}, message or _summary(done, ext))
        con.close()
        warehouse.publish(db)
    return {"run_id": run_id, "retagged": done, "nlp_version": NLP_VERSION, "gate_version": gate_version(s),
            "out_of_scope_rechecked": rechecked, "now_in_scope": now_in_scope, "extract_version": fingerprint,
            "reextracted": ext["reextracted"], "reextract_misses": dict(ext["reextract_misses"])}


def _summary(retagged: int, ext: dict[str, Any]) -> str:
    text = f"re-extracted {ext['reextracted']} articles, re-tagged {retagged}"
    misses = ext["reextract_misses"]
    if misses:
        text += "; not re-extracted (text kept): " + ", ".join(f"{r} {n}" for r, n in sorted(misses.items()))
    return text


def _re_extract(con, db: Path | str, s: Settings, run_id: str, fingerprint: str, ext: dict[str, Any], *,
                unknown: bool, everything: bool) -> None:
    """Re-extract the articles of another extraction fingerprint from their raw pages, a batch per transaction
    (resumable: a done article has the new fingerprint, a miss is recorded). Counts go into ``ext``."""
    rows = wh.articles_to_reextract(con, fingerprint, unknown=unknown, everything=everything)
    if not rows:
        return
    base = warc.base_dir(db)
    progress.start("reextract", "articles re-extracted", len(rows))
    for i in range(0, len(rows), s.batch_size):
        chunk = rows[i:i + s.batch_size]
        pages = {p["item_id"]: p for p in wh.article_pages(con, [r["item_id"] for r in chunk])}
        articles, misses = [], []
        for row in chunk:
            article, reason, detail = _extract_one(row, pages.get(row["item_id"], {}), base, s)
            if article is None:
                misses.append({"item_id": row["item_id"], "extract_version": fingerprint, "reason": reason,
                               "detail": detail, "run_id": run_id, "recorded_at": now()})
                ext["reextract_misses"][reason] = ext["reextract_misses"].get(reason, 0) + 1
            else:
                articles.append(article)
        with deferred():
            wh.set_extraction(con, articles, misses)
        ext["reextracted"] += len(articles)
        progress.advance("reextract", len(chunk))


def _extract_one(row: dict[str, Any], page_row: dict[str, Any], base: Path,
                 s: Settings) -> tuple[dict[str, Any] | None, str | None, str | None]:
    """(new article columns, None, None) or (None, reason, detail) for one stored article."""
    url = row["final_url"] or row["url"]
    try:
        page = warc.page_response(base, page_row)
    except FileNotFoundError as exc:
        return None, "warc_missing", f"{url}: {exc}"[:500]
    except (ValueError, OSError) as exc:  # truncated, overwritten or unreadable file
        return None, "warc_unreadable", f"{url}: {exc}"[:500]
    if page is None:
        return None, "no_raw_page", (f"{url}: the warehouse kept no raw page for it (stored before raw pages were "
                                     "archived); its text stays as extracted then")
    headers, body = page
    fetched = FetchResult(url=url, final_url=row["final_url"], status=row["http_status"] or 200, headers=headers,
                          body=body)
    # the nightly run's own function, so a re-extracted article equals what tonight's run would store; the item
    # fields are the feed's (title, author, date fallbacks)
    result = build_article(row, fetched, s.min_article_words)
    if result.article is None:
        return None, result.reason, result.detail
    a = result.article
    return ({"item_id": row["item_id"], "title": a["title"], "author": a["author"], "published_at": a["published_at"],
             "site_name": a["site_name"], "language": a["language"], "text": a["text"], "word_count": a["word_count"],
             "content_hash": dedup.content_hash(a["text"]), "minhash": dedup.to_bytes(dedup.minhash(a["text"])),
             "extract_version": a["extract_version"]}, None, None)
