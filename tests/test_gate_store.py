"""The relevance gate in the real flows: nightly_ingest stores off-topic articles untagged (out_of_scope, with
the gate's fingerprint and reason), they are searchable and counted in feed_health, and reprocess re-checks them
when the gate's vocabulary changes."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from bench.pipeline import BenchWeb
from flows.ingest import nightly_ingest
from flows.reprocess import reprocess
from nlp.gate import load_gate

pytestmark = pytest.mark.e2e
SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def _q(db, sql):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def gated_run(prefect_harness, tmp_path_factory):
    from flows.settings import Settings

    tmp = tmp_path_factory.mktemp("gate")
    web = BenchWeb(8, in_scope_share=0.25, body_words=200)  # pages 0 and 4 on surveillance, 6 general news
    s = Settings(db=tmp / "wh.duckdb", allowed_hosts=web.base.removeprefix("http://"), batch_size=8,
                 per_host_delay=0, workers=1, request_deadline=15, read_timeout=10)
    report = nightly_ingest(str(web.opml(tmp / "feeds.opml")), str(s.db), s)
    yield {"report": report, "settings": s, "db": s.db, "tmp": tmp, "web": web}
    web.close()


def test_offtopic_articles_are_stored_untagged_with_the_gate_outcome(gated_run):
    db = gated_run["db"]
    assert gated_run["report"]["run"]["stored"] == 8
    rows = dict(_q(db, "SELECT tagging, count(*) FROM articles GROUP BY 1"))
    assert rows == {"full": 2, "out_of_scope": 6}
    fingerprint = load_gate(SEEDS).fingerprint
    assert _q(db, "SELECT DISTINCT gate_version FROM articles") == [(fingerprint,)]
    # the in-scope pages carry the terms that let them in; the others say why they stayed out
    reasons = _q(db, "SELECT tagging, gate_reason FROM articles ORDER BY url")
    assert all(r.startswith("strong: ") for t, r in reasons if t == "full")
    assert all(not r.startswith("strong") for t, r in reasons if t == "out_of_scope")
    # no tags for out-of-scope articles; the in-scope ones are fully tagged
    assert _q(db, "SELECT count(*) FROM mentions JOIN articles USING (item_id) WHERE tagging = 'out_of_scope'") == [(0,)]
    assert _q(db, "SELECT count(DISTINCT item_id) FROM claims") == [(2,)]
    # text kept, language detected, outcome 'stored'
    assert _q(db, "SELECT count(*) FROM articles WHERE tagging = 'out_of_scope' AND length(text) > 500 "
                  "AND language = 'en'") == [(6,)]
    assert _q(db, "SELECT outcome, count(*) FROM outcomes GROUP BY 1") == [("stored", 8)]


def test_out_of_scope_articles_are_searchable_and_counted_in_feed_health(gated_run):
    from warehouse.search import search

    db = gated_run["db"]
    assert _q(db, "SELECT sum(articles_8w), sum(out_of_scope_8w) FROM feed_health") == [(8, 6)]
    con = duckdb.connect(str(db), read_only=True)
    try:
        text = con.execute("SELECT text FROM articles WHERE tagging = 'out_of_scope' ORDER BY url LIMIT 1").fetchone()[0]
        word = max((w.strip(".,;'") for w in text.split()), key=len)  # a rare word of that article
        hits = search(con, word)
    finally:
        con.close()
    assert hits, f"out-of-scope article not found by searching {word!r}"


def test_reprocess_rechecks_out_of_scope_articles_when_the_gate_changes(gated_run):
    s, db = gated_run["settings"], gated_run["db"]
    same = reprocess(str(db), settings=s)
    assert same["retagged"] == 0 and same["out_of_scope_rechecked"] == 0

    # a new surveillance word that every general-news story here contains ("said") lets them all in
    seeds = gated_run["tmp"] / "seeds"
    shutil.copytree(SEEDS, seeds)
    gate_yaml = seeds / "gate.yaml"
    gate_yaml.write_text(gate_yaml.read_text(encoding="utf-8").replace("strong_terms:\n  en: [",
                                                                       "strong_terms:\n  en: [said, "),
                         encoding="utf-8")
    changed = s.model_copy(update={"seeds_dir": seeds})
    out = reprocess(str(db), settings=changed)
    assert out["gate_version"] == load_gate(seeds).fingerprint != load_gate(SEEDS).fingerprint
    left = _q(db, "SELECT count(*) FROM articles WHERE tagging = 'out_of_scope'")[0][0]
    assert out["out_of_scope_rechecked"] == 6 and out["now_in_scope"] == 6 - left
    assert out["now_in_scope"] >= 5  # every general-news template has "said" but the weather ones
    assert _q(db, "SELECT count(*) FROM articles WHERE tagging = 'full' AND gate_reason LIKE 'strong: %said%'")[0][0] \
        == out["now_in_scope"]
    # the two articles tagged before keep their tags (not re-tagged: same nlp version)
    assert _q(db, "SELECT count(DISTINCT item_id) FROM claims")[0][0] >= 2
    again = reprocess(str(db), settings=changed)
    assert again["retagged"] == 0  # checked by this gate already
