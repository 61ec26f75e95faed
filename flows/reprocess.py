"""The Prefect flow ``reprocess``: bring stored articles up to the current tagger without refetching anything.

Another job than the nightly ingest (flows/ingest.py): it reads the warehouse, never the web.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import flow

import warehouse
from warehouse import ingest as wh
from warehouse import search

from . import progress
from .ingest import _run_id
from .pipeline import gate_version, language_fields, tag_rows, tag_texts
from .settings import Settings
from .stopping import STOP_EXCEPTIONS, deferred, note_stopped, stop_reason


@flow(name="reprocess", log_prints=False)
def reprocess(db_path: str | None = None, all_articles: bool = False,
              settings: Settings | None = None) -> dict[str, Any]:
    """Re-tag stored articles whose tags come from another nlp version (or all of them), and re-check the
    out-of-scope articles when the relevance gate changed (its vocabulary or the gazetteers): those that now
    pass are tagged. Articles tagged before stay tagged (the gate only decides for out_of_scope ones)."""
    from nlp import NLP_VERSION

    s = settings or Settings()
    db = Path(db_path) if db_path else s.db
    con = warehouse.open_for_writing(db)
    run_id = _run_id()
    done = rechecked = now_in_scope = 0
    status, message = "completed", None
    try:
        wh.start_run(con, run_id, "reprocess", NLP_VERSION)
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
    except STOP_EXCEPTIONS as exc:
        status, message = "stopped", f"{stop_reason(exc)} after re-tagging {done} articles; run it again to finish"
        note_stopped(run_id)
        raise
    except BaseException as exc:
        status, message = "failed", f"{type(exc).__name__}: {exc}"[:1000]
        raise
    finally:
        wh.finish_run(con, run_id, status, {"items_seen": done}, message or f"re-tagged {done} articles")
        con.close()
        warehouse.publish(db)
    return {"run_id": run_id, "retagged": done, "nlp_version": NLP_VERSION, "gate_version": gate_version(s),
            "out_of_scope_rechecked": rechecked, "now_in_scope": now_in_scope}
