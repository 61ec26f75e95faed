"""End to end: `reprocess` re-extracts from the WARC archive when the extraction fingerprint changes (real nightly
run against the loopback sample web, real DuckDB file, real Prefect flow runs): new text equals a fresh extraction
of the served page, a deleted WARC file and a page never kept are recorded and keep their text, pre-010 articles
(NULL fingerprint) wait for --re-extract, and a second run re-extracts nothing."""
from __future__ import annotations

import dataclasses
import shutil

import duckdb
import httpx
import pytest

pytestmark = pytest.mark.e2e

MARK = "Reextracted"


def _q(db, sql, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def runs(prefect_harness, sample_web, tmp_path_factory):
    import warehouse
    from flows import extract, pipeline
    from flows.ingest import nightly_ingest
    from flows.reprocess import reprocess
    from flows.settings import Settings

    tmp = tmp_path_factory.mktemp("reextract")
    feeds = sample_web.write_feed_list(tmp / "feeds.opml")
    s = Settings(db=tmp / "wh.duckdb", allowed_hosts=sample_web.host_port, batch_size=8, per_host_delay=0,
                 request_deadline=15, read_timeout=10)
    out = {"db": s.db, "fingerprint_before": extract.extract_fingerprint()}
    out["nightly"] = nightly_ingest(str(feeds), str(s.db), s)
    out["texts_before"] = dict(_q(s.db, "SELECT item_id, text FROM articles"))
    out["fp_before"] = dict(_q(s.db, "SELECT item_id, extract_version FROM articles"))
    out["unchanged"] = reprocess(str(s.db), settings=s)
    page_ids = [r[0] for r in _q(s.db, "SELECT item_id FROM articles WHERE text_source = 'page' ORDER BY item_id")]
    gone, never_kept, unknown = page_ids[0], page_ids[1], page_ids[2]
    out.update(gone=gone, never_kept=never_kept, unknown=unknown, page_ids=page_ids)
    # a WARC file deleted (the article's record copied to a file of its own, then that file removed), a page the
    # warehouse never kept, and an article from before migration 010
    con = warehouse.open_for_writing(s.db)
    try:
        (file,), = con.execute("SELECT warc_file FROM articles WHERE item_id = ?", [gone]).fetchall()
        shutil.copyfile(s.db.parent / file, s.db.parent / "warc" / "deleted.warc.gz")
        con.execute("UPDATE articles SET warc_file = 'warc/deleted.warc.gz' WHERE item_id = ?", [gone])
        con.execute("UPDATE articles SET warc_file = NULL, warc_offset = NULL, warc_length = NULL "
                    "WHERE item_id = ?", [never_kept])
        con.execute("UPDATE articles SET extract_version = NULL WHERE item_id = ?", [unknown])
    finally:
        con.close()
        warehouse.publish(s.db)
    (s.db.parent / "warc" / "deleted.warc.gz").unlink()

    original = extract.extract_article

    def variant(html, url=None):  # an extraction that now includes something it did not before
        got = original(html, url)
        return got and dataclasses.replace(got, text=f"{MARK} {got.text}", word_count=got.word_count + 1)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(extract, "EXTRACT_VERSION", "test-changed")
        mp.setattr(extract, "extract_article", variant)
        out["fingerprint_after"] = extract.extract_fingerprint()
        out["changed"] = reprocess(str(s.db), settings=s)
        out["texts_changed"] = dict(_q(s.db, "SELECT item_id, text FROM articles"))
        out["fp_changed"] = dict(_q(s.db, "SELECT item_id, extract_version FROM articles"))
        out["misses_changed"] = _q(s.db, "SELECT item_id, reason, detail FROM reextract_misses ORDER BY item_id")
        out["again"] = reprocess(str(s.db), settings=s)
        out["texts_again"] = dict(_q(s.db, "SELECT item_id, text FROM articles"))
        out["explicit"] = reprocess(str(s.db), settings=s, re_extract=True)
        out["explicit_again"] = reprocess(str(s.db), settings=s, re_extract=True)
        # what a fresh extraction of the served page gives, for comparison
        urls = dict(_q(s.db, "SELECT item_id, final_url FROM articles WHERE text_source = 'page'"))
        out["fresh"] = {}
        for item in page_ids[3:6]:
            res = httpx.get(urls[item], timeout=10)
            html = pipeline.decode_html(res.content, res.headers.get("content-type"))
            out["fresh"][item] = variant(html, urls[item]).text
        out["texts_final"] = dict(_q(s.db, "SELECT item_id, text FROM articles"))
    return out


def test_nightly_run_stores_the_extraction_fingerprint(runs):
    fps = runs["fp_before"]  # as the nightly run left them
    assert {fps[i] for i in runs["page_ids"]} == {runs["fingerprint_before"]}
    summaries = set(fps) - set(runs["page_ids"])  # feed-summary articles: no page, no extraction
    assert {fps[i] for i in summaries} <= {None}
    assert runs["unchanged"]["reextracted"] == 0 and runs["unchanged"]["reextract_misses"] == {}


def test_changed_fingerprint_re_extracts_from_the_warc_archive(runs):
    changed = runs["changed"]
    skipped = {runs["gone"], runs["never_kept"], runs["unknown"]}
    redone = [i for i in runs["page_ids"] if i not in skipped]
    assert changed["reextracted"] == len(redone) > 0
    assert changed["reextract_misses"] == {"warc_missing": 1, "no_raw_page": 1}
    for item in redone:
        assert runs["texts_changed"][item] == f"{MARK} {runs['texts_before'][item]}"
        assert runs["fp_changed"][item] == runs["fingerprint_after"] != runs["fingerprint_before"]
    # the stored text is what extracting the page as served gives now
    for item, fresh in runs["fresh"].items():
        assert runs["texts_final"][item] == fresh
    # re-tagged and re-indexed with the new text: every re-extracted article has tags of the current nlp version
    # and keyword postings for the new word
    from nlp import NLP_VERSION

    assert _q(runs["db"], "SELECT count(*) FROM articles WHERE nlp_version IS DISTINCT FROM ?", [NLP_VERSION]) == [(0,)]
    indexed = {r[0] for r in _q(runs["db"], "SELECT item_id FROM search_terms WHERE term = ?", [MARK.lower()])}
    assert set(redone) <= indexed
    run = _q(runs["db"], "SELECT status, message FROM runs WHERE run_id = ?", [changed["run_id"]])[0]
    assert run[0] == "completed" and f"re-extracted {len(redone)}" in run[1] and "warc_missing 1" in run[1]


def test_unreadable_pages_are_recorded_and_keep_their_text(runs):
    misses = {item: (reason, detail) for item, reason, detail in runs["misses_changed"]}
    assert set(misses) == {runs["gone"], runs["never_kept"]}
    assert misses[runs["gone"]][0] == "warc_missing" and "deleted.warc.gz" in misses[runs["gone"]][1]
    assert misses[runs["never_kept"]][0] == "no_raw_page"
    for item in (runs["gone"], runs["never_kept"]):
        assert runs["texts_changed"][item] == runs["texts_before"][item]
        assert runs["fp_changed"][item] == runs["fingerprint_before"]


def test_unknown_fingerprint_waits_for_re_extract(runs):
    unknown = runs["unknown"]
    assert runs["texts_changed"][unknown] == runs["texts_before"][unknown]  # no silent rewrite on upgrade
    assert runs["fp_changed"][unknown] is None
    assert runs["explicit"]["reextracted"] == 1  # --re-extract: the unknown one, the misses are not retried
    assert runs["texts_final"][unknown] == f"{MARK} {runs['texts_before'][unknown]}"


def test_second_run_re_extracts_nothing(runs):
    for key in ("again", "explicit_again"):
        assert runs[key]["reextracted"] == 0 and runs[key]["reextract_misses"] == {}
    assert runs["texts_again"] == runs["texts_changed"]
    assert _q(runs["db"], "SELECT count(*) FROM reextract_misses") == [(2,)]
