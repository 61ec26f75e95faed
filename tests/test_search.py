"""Keyword search (warehouse.search): BM25 ranking, tokenising, re-indexing, read-only use."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

import warehouse
from warehouse import search, store

NOW = dt.datetime(2025, 3, 3, 12, 0)

DOCS = {
    # item_id: (title, text)
    "t1": ("Facial recognition cameras in Quito", "The city installed cameras. Cameras everywhere, more cameras."),
    "t2": ("Budget news", "The council discussed the budget and one camera near the station."),
    "t3": ("Spyware scandal", "NSO Group's Pegasus spyware targeted journalists in Mexico."),
    "t4": ("Políticas de vigilancia", "Las cámaras de reconocimiento facial en Ecuador y las policies of the city."),
    "t5": ("Unrelated", "A story about football results and the weather this weekend in Madrid."),
}


def _insert(con, ids):
    items, articles = [], []
    for n, item_id in enumerate(ids):
        title, text = DOCS[item_id]
        seen = NOW + dt.timedelta(hours=n)
        items.append({"item_id": item_id, "canonical_url": f"https://s.example/{item_id}",
                      "url": f"https://s.example/{item_id}", "guid": None, "feed_id": 1, "title": title,
                      "summary": None, "author": None, "published_at": seen, "first_seen_at": seen, "run_id": "r"})
        articles.append({"item_id": item_id, "url": f"https://s.example/{item_id}", "final_url": None,
                         "outlet": f"outlet-{item_id}.example", "http_status": 200, "fetched_at": seen, "title": title,
                         "author": None, "published_at": seen, "site_name": None, "language": "en", "text": text,
                         "text_source": "page", "word_count": len(text.split()), "content_hash": item_id,
                         "cluster_id": item_id, "minhash": None, "raw_html_gz": None, "nlp_version": "t"})
    store.insert(con, "insert_items", items)
    store.insert(con, "insert_articles", articles)


@pytest.fixture
def con(tmp_path):
    c = warehouse.open_for_writing(tmp_path / "s.duckdb")
    _insert(c, list(DOCS))
    assert search.index_articles(c, list(DOCS)) == len(DOCS)
    yield c
    c.close()


def ids(results):
    return [r["item_id"] for r in results]


def test_title_and_frequency_rank_higher(con):
    results = search.search(con, "camera")
    # t1 has the word in its title and three times in the text; t2 once; t4 has only "cámaras"
    assert ids(results)[:2] == ["t1", "t2"]
    assert results[0]["score"] > results[1]["score"] > 0
    r = results[0]
    assert (r["url"], r["title"], r["outlet"]) == ("https://s.example/t1", "Facial recognition cameras in Quito", "outlet-t1.example")
    assert "camera" in r["snippet"].lower()


def test_case_accents_and_plurals_match(con):
    assert set(ids(search.search(con, "CAMERAS"))) == {"t1", "t2"}
    assert ids(search.search(con, "camaras")) == ["t4"]  # accent-insensitive: cámaras
    assert ids(search.search(con, "policy")) == ["t4"]  # policies -> policy
    assert "t3" in ids(search.search(con, "journalist"))


def test_more_matching_terms_rank_higher(con):
    results = search.search(con, "facial recognition Quito")
    assert ids(results)[0] == "t1"
    assert set(ids(results)) == {"t1", "t4"}


def test_no_match_and_empty_query(con):
    assert search.search(con, "xylophone") == []
    assert search.search(con, "") == []
    assert search.search(con, "the of and") == []  # only stop words
    assert search.search(con, "camera", limit=1) and len(search.search(con, "camera", limit=1)) == 1


def test_reindexing_replaces_postings(con):
    con.execute("UPDATE articles SET text = 'Now about drones only.', title = 'Drones' WHERE item_id = 't2'")
    assert search.index_articles(con, ["t2", "missing-id"]) == 1
    assert "t2" not in ids(search.search(con, "camera"))
    assert ids(search.search(con, "drone")) == ["t2"]
    postings = con.execute("SELECT term, tf FROM search_terms WHERE item_id = 't2' ORDER BY term").fetchall()
    assert postings == [("drone", 4), ("now", 1), ("only", 1)]  # "about" is a stop word; title counts 3x


def test_own_transaction_is_all_or_nothing(con, monkeypatch):
    def boom(*args):
        raise RuntimeError("crash after the postings were written")

    con.execute("UPDATE articles SET text = 'zebra' WHERE item_id = 't5'")
    monkeypatch.setattr(search, "_refresh_rollups", boom)
    with pytest.raises(RuntimeError):
        search.index_articles(con, ["t5"])
    assert search.search(con, "zebra") == []  # postings rolled back
    assert ids(search.search(con, "football")) == ["t5"]


def test_index_inside_callers_transaction_rolls_back_with_it(con):
    con.execute("BEGIN TRANSACTION")
    con.execute("UPDATE articles SET text = 'zebra', title = 'zebra' WHERE item_id = 't5'")
    search.index_articles(con, ["t5"], own_transaction=False)
    assert ids(search.search(con, "zebra")) == ["t5"]
    con.execute("ROLLBACK")
    assert search.search(con, "zebra") == []
    assert ids(search.search(con, "football")) == ["t5"]


def test_index_pending_goes_in_bounded_transactions_and_picks_up_every_article(tmp_path, monkeypatch):
    """A run's end indexes what it stored in chunks, each its own transaction: every article is indexed,
    none twice, and a failure leaves the chunks already done committed and the rest for the next call."""
    c = warehouse.open_for_writing(tmp_path / "p.duckdb")
    try:
        _insert(c, list(DOCS))
        chunks = []
        real = search._index_and_mark
        monkeypatch.setattr(search, "_index_and_mark", lambda con, ids: chunks.append(list(ids)) or real(con, ids))
        assert search.index_pending(c, chunk=2) == len(DOCS)
        assert chunks == [["t1", "t2"], ["t3", "t4"], ["t5"]]
        assert ids(search.search(c, "football")) == ["t5"] and ids(search.search(c, "pegasus")) == ["t3"]
        assert search.index_pending(c, chunk=2) == 0  # nothing left

        c.execute("DELETE FROM search_terms")
        c.execute("DELETE FROM search_docs")

        def fail_on_third(con, ids):
            if ids == ["t5"]:
                raise RuntimeError("killed")
            return real(con, ids)

        monkeypatch.setattr(search, "_index_and_mark", fail_on_third)
        with pytest.raises(RuntimeError):
            search.index_pending(c, chunk=2)
        assert c.execute("SELECT item_id FROM search_docs ORDER BY 1").fetchall() == [("t1",), ("t2",), ("t3",), ("t4",)]
        monkeypatch.setattr(search, "_index_and_mark", real)
        assert search.index_pending(c, chunk=2) == 1
        assert ids(search.search(c, "football")) == ["t5"]
    finally:
        c.close()


def test_index_pending_goes_in_date_order(tmp_path, monkeypatch):
    """Chunks follow the articles' dates, not their ids: each chunk recomputes the rollups of the weeks it touches,
    and a backfill's articles in id order spread over years (every chunk recomputed nearly every week)."""
    c = warehouse.open_for_writing(tmp_path / "p.duckdb")
    try:
        _insert(c, ["t5", "t3", "t1", "t4", "t2"])  # t5 oldest, t2 newest
        chunks = []
        real = search._index_and_mark
        monkeypatch.setattr(search, "_index_and_mark", lambda con, ids: chunks.append(list(ids)) or real(con, ids))
        assert search.index_pending(c, chunk=2) == len(DOCS)
        assert chunks == [["t5", "t3"], ["t1", "t4"], ["t2"]]
    finally:
        c.close()


def test_index_pending_halves_its_chunk_when_duckdb_runs_out_of_memory(tmp_path, monkeypatch):
    """At a low memory_limit a chunk can run out of memory once the warehouse is large (a 100,000-record backfill
    under 128 MB did): the chunk is rolled back and retried smaller, every article indexed once; below the
    smallest chunk the error is raised and nothing half-done is left."""
    c = warehouse.open_for_writing(tmp_path / "p.duckdb")
    try:
        _insert(c, list(DOCS))
        chunks = []
        real = search._index_and_mark

        def small_only(con, ids):
            chunks.append(list(ids))
            if len(ids) > 2:
                real(con, ids)  # half-done work that the rollback must undo
                raise duckdb.OutOfMemoryException("Out of Memory Error: failed to allocate data of size 8.0 MiB")
            return real(con, ids)

        monkeypatch.setattr(search, "_index_and_mark", small_only)
        assert search.index_pending(c, chunk=4, min_chunk=2) == len(DOCS)
        assert chunks == [["t1", "t2", "t3", "t4"], ["t1", "t2"], ["t3", "t4"], ["t5"]]
        assert c.execute("SELECT count(*), count(DISTINCT item_id) FROM search_docs").fetchone() == (len(DOCS), len(DOCS))

        c.execute("DELETE FROM search_terms")
        c.execute("DELETE FROM search_docs")
        with pytest.raises(duckdb.OutOfMemoryException):
            search.index_pending(c, chunk=3, min_chunk=3)
        assert c.execute("SELECT count(*) FROM search_docs").fetchone() == (0,)
    finally:
        c.close()


def test_search_works_read_only_on_published_file(tmp_path):
    path = tmp_path / "p.duckdb"
    c = warehouse.open_for_writing(path)
    _insert(c, ["t1", "t3"])
    search.index_articles(c, ["t1", "t3"])
    c.close()
    warehouse.publish(path)
    ro = warehouse.open_read_only(path)
    try:
        assert ids(search.search(ro, "spyware Pegasus")) == ["t3"]
    finally:
        ro.close()


def test_reindex_all(con):
    con.execute("DELETE FROM search_terms")
    con.execute("DELETE FROM search_docs")
    assert search.search(con, "camera") == []
    assert search.reindex_all(con) == len(DOCS)
    assert ids(search.search(con, "camera"))[:2] == ["t1", "t2"]


def test_compact_index_keeps_results(con):
    before = search.search(con, "camera facial")
    search.compact_index(con)
    assert search.search(con, "camera facial") == before
    terms = [r[0] for r in con.execute("SELECT term FROM search_terms").fetchall()]
    assert terms == sorted(terms)


def test_snippet_is_centred_on_the_match():
    text = "word " * 100 + "The Cámaras were installed. " + "tail " * 100
    snip = search._snippet(text, ["camara"])
    assert "Cámaras" in snip and snip.startswith("…") and snip.endswith("…")
    assert len(snip) <= search.SNIPPET_CHARS + 2
    assert search._snippet("short text", ["absent"]) == "short text"


def test_rollups_built_chunk_by_chunk_match_a_full_rebuild(tmp_path):
    """index_pending indexes in chunks, marks the weeks and months its articles fall in, and recomputes each marked
    bucket once, reading only the articles of that bucket: backfilled articles by their publication date (dated_at), nightly ones by when they
    were first seen, with weeks straddling month ends. The result must equal a rebuild from the base tables, and
    the data check (checks_rollups.sql) must agree with both."""
    from warehouse import sqlfiles

    c = warehouse.open_for_writing(tmp_path / "r.duckdb")
    try:
        items, articles, mentions, deals, claims = [], [], [], [], []
        seen = dt.datetime(2025, 3, 3, 12, 0)
        for n in range(24):
            iid = f"r{n:02d}"
            # two thirds backfilled, dated every 5 days from late 2024 (months and weeks straddled); the rest nightly
            dated = dt.datetime(2024, 11, 22, 8, 0) + dt.timedelta(days=5 * n) if n % 3 else None
            items.append({"item_id": iid, "canonical_url": f"https://r.example/{iid}", "url": f"https://r.example/{iid}",
                          "guid": None, "feed_id": 1, "title": iid, "summary": None, "author": None,
                          "published_at": dated, "first_seen_at": seen + dt.timedelta(hours=n), "run_id": "r"})
            articles.append({"item_id": iid, "url": f"https://r.example/{iid}", "final_url": None,
                             "outlet": f"o{n % 4}.example", "http_status": 200, "fetched_at": seen, "title": iid,
                             "author": None, "published_at": dated, "site_name": None, "language": "en",
                             "text": "Hikvision cameras in Quito.", "text_source": "page", "word_count": 4,
                             "content_hash": iid, "cluster_id": f"c{n % 5}", "minhash": None, "raw_html_gz": None,
                             "nlp_version": "t", "dated_at": dated})
            vendor = ("Hikvision", "Huawei")[n % 2]
            mentions += [(iid, "vendor", vendor, vendor, 0, 9, "t", "gazetteer"),
                         (iid, "country", ("EC", "KE", "RS")[n % 3], "Quito", 22, 27, "t", "gazetteer")]
            if n % 4 == 0:
                deals.append((iid, vendor, ("EC", "KE", "RS")[n % 3], "contract", None, None, "sentence", "t"))
            # claims in several partitions (place x direction), values close enough to chain into groups
            claims.append((iid, 0, f"Crime fell {20 + n % 3} percent.", "crime", "down", 20.0 + n % 3, "%",
                           ("EC", "KE", None)[n % 3], 2024, ("the mayor", None)[n % 2], False, "t"))
            claims.append((iid, 1, "It has 500 cameras.", "cameras", "level", 500.0 + n, None, "EC", None, None, False, "t"))
        store.insert(c, "insert_items", items)
        store.insert(c, "insert_articles", articles)
        c.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?)", mentions)
        c.executemany("INSERT INTO deals VALUES (?, ?, ?, ?, ?, ?, ?, ?)", deals)
        c.executemany("INSERT INTO claims (item_id, claim_no, sentence, metric, direction, value, unit, place, year, "
                      "source, hedged, nlp_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", claims)

        checks = (sqlfiles.HERE / "queries" / "checks_rollups.sql").read_text()
        # a run killed after its chunks, before the buckets were recomputed: the marks stay, the check sees stale
        # rollups, and the next run's index stage (nothing left to index) recomputes them
        real = search.refresh_stale_rollups
        search.refresh_stale_rollups = lambda con: 0
        try:
            assert search.index_pending(c, chunk=5) == 24
        finally:
            search.refresh_stale_rollups = real
        assert c.execute("SELECT count(*) FROM rollup_stale_partitions").fetchone() == (4,)  # 3 crime, 1 cameras
        marked = c.execute("SELECT rollup, count(*) FROM rollup_stale GROUP BY ALL ORDER BY ALL").fetchall()
        dates = [a["dated_at"] or i["first_seen_at"] for i, a in zip(items, articles)]
        weeks = {(d - dt.timedelta(days=d.weekday())).date() for d in dates}
        months = {d.date().replace(day=1) for d in dates}
        assert marked == [("month", len(months)), ("week", len(weeks))] and len(months) == 5
        assert "rollup_entity_weeks current" in {r[0] for r in c.execute(checks).fetchall()}
        # partitions recomputed some claims at a time: cameras (24 claims) alone, then the crime partitions (8 each,
        # by where each starts in the running count: 24 and 32 in one group, 40 in the next)
        assert search.refresh_stale_rollups(c, claims_per_refresh=20) == len(months) + len(weeks) + 3
        assert search.index_pending(c, chunk=5) == 0
        assert c.execute("SELECT count(*) FROM rollup_stale").fetchone() == (0,)
        assert c.execute("SELECT count(*) FROM rollup_stale_partitions").fetchone() == (0,)
        tables = ("rollup_entity_weeks", "rollup_vendor_country_months", "rollup_claims", "rollup_claim_groups")
        chunked = {t: c.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}
        assert c.execute(checks).fetchall() == []
        search.reindex_all(c)
        assert {t: c.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables} == chunked
        assert {r[0] for r in chunked["rollup_entity_weeks"]} == weeks
        assert dt.date(2024, 11, 25) in weeks and dt.date(2025, 3, 3) in weeks  # backfilled and nightly weeks
        assert sum(r[3] for r in chunked["rollup_entity_weeks"] if r[1] == "vendor") == 24
    finally:
        c.close()
