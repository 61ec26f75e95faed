"""The warehouse on DuckLake: a local catalog file and a real PostgreSQL catalog on loopback.

PostgreSQL tests start a private cluster (tests/pg_server.py) and are skipped, with the reason, when
PostgreSQL is not installed or cannot start.
"""
from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import duckdb
import pytest

import warehouse
from warehouse import db as wdb
from warehouse import lake

from . import pg_server

try:
    lake.extension_path("ducklake")
    lake.extension_path("postgres")
    import psycopg  # noqa: F401
except (lake.LakeError, ImportError) as exc:  # an environment not installed from pyproject.toml (duckdb 2 …)
    pytest.skip(f"DuckLake cannot load here: {exc} (pip install -e '.[test]' installs the pinned packages)",
                allow_module_level=True)

# Natural keys of the tables that have them in the file warehouse (PRIMARY KEY / UNIQUE there, none on a lake)
KEYS = {
    "runs": ["run_id"], "feeds": ["feed_id"], "feeds ": ["url"], "items": ["item_id"], "items ": ["canonical_url"],
    "outcomes": ["item_id"], "articles": ["item_id"], "claims": ["item_id", "claim_no"],
    "deals": ["item_id", "vendor", "country", "kind"], "vendor_candidates": ["item_id", "name"],
    "feed_fetches": ["run_id", "feed_id"], "search_docs": ["item_id"], "maintenance": ["task"],
    "rollup_entity_weeks": ["week_start", "entity_type", "entity"], "schema_migrations": ["version"],
    "metric_families": ["metric"],
}
COUNTED = ("items", "articles", "outcomes", "mentions", "claims", "deals", "vendor_candidates", "feeds",
           "search_docs", "search_terms", "rollup_entity_weeks", "rollup_claims")


def duplicate_keys(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Per keyed table, how many key values occur more than once (all zero = the keys still hold)."""
    out = {}
    for table, cols in KEYS.items():
        keys = ", ".join(cols)
        out[f"{table.strip()}({keys})"] = con.execute(
            f"SELECT count(*) FROM (SELECT {keys} FROM {table.strip()} GROUP BY ALL HAVING count(*) > 1)").fetchone()[0]
    return out


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED}


@pytest.fixture(scope="session")
def pg():
    server, why = pg_server.start()
    if server is None:
        pytest.skip(why)
    yield server
    server.stop()


def _lake_on(pg, tmp_path: Path, name: str) -> str:
    pg.createdb(name)
    return f"ducklake:postgres:{pg.dsn(name)} data_path={tmp_path / (name + '-data')}"


# ---------------------------------------------------------------------------------------------- no PostgreSQL

def test_translate_ddl_drops_keys_and_indexes_but_not_comments():
    sql = textwrap.dedent("""\
        -- the feed's own key (an apostrophe in a comment must not open a string)
        CREATE TABLE t (
            id VARCHAR PRIMARY KEY,
            url VARCHAR NOT NULL UNIQUE,
            a INTEGER, b INTEGER,
            PRIMARY KEY (a, b),
            UNIQUE (a)
        );
        CREATE UNIQUE INDEX t_url ON t (url);
        COMMENT ON COLUMN t.id IS 'Surrogate key; PRIMARY KEY (a, b) of the old UNIQUE scheme.';
        ALTER TABLE t ADD COLUMN c VARCHAR UNIQUE;
        """)
    out = lake.translate_ddl(sql)
    code = out.split("COMMENT ON")[0]
    assert "PRIMARY" not in code and "UNIQUE" not in code and "INDEX" not in code
    assert "'Surrogate key; PRIMARY KEY (a, b) of the old UNIQUE scheme.'" in out  # string literal untouched
    assert "url VARCHAR NOT NULL" in out and "ADD COLUMN c VARCHAR;" in out
    con = duckdb.connect()
    lake.load_extension(con, "ducklake")
    con.execute("ATTACH 'ducklake::memory:' AS l")
    con.execute("USE l")
    con.execute(out)  # DuckLake accepts it
    assert [r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 't' "
                                      "ORDER BY column_index").fetchall()] == ["id", "url", "a", "b", "c"]
    with pytest.raises(lake.LakeError, match="sequences"):
        lake.translate_ddl("CREATE SEQUENCE s; CREATE TABLE x (id INTEGER DEFAULT nextval('s'));", "m.sql")


def test_targets_parse_with_data_path(tmp_path):
    t = lake.parse("ducklake:postgres:dbname=lake host=127.0.0.1 port=5433 data_path=/srv/lake")
    assert t.postgres and t.libpq == "dbname=lake host=127.0.0.1 port=5433" and t.data_path == "/srv/lake"
    t = lake.parse(f"ducklake:{tmp_path}/x.ducklake")
    assert not t.postgres and t.data_path == f"{tmp_path}/x.ducklake.files"
    with pytest.raises(lake.LakeError, match="data_path"):
        lake.parse("ducklake:postgres:dbname=lake")
    with pytest.raises(wdb.WarehouseError, match="does not exist yet"):
        warehouse.open_read_only(f"ducklake:{tmp_path}/missing.ducklake")


def test_local_catalog_has_the_file_warehouse_schema(tmp_path):
    """Every table, column, type, view and comment of the file warehouse is on the lake, keys aside."""
    file_con = warehouse.open_for_writing(tmp_path / "wh.duckdb")
    lake_con = warehouse.open_for_writing(f"ducklake:{tmp_path}/wh.ducklake")
    cols = ("SELECT table_name, column_name, data_type, is_nullable, comment FROM duckdb_columns() "
            "WHERE database_name = current_database() AND NOT internal ORDER BY ALL")
    tables = ("SELECT table_name, comment FROM duckdb_tables() WHERE database_name = current_database() "
              "ORDER BY ALL")
    views = ("SELECT view_name, comment FROM duckdb_views() WHERE database_name = current_database() "
             "AND NOT internal ORDER BY ALL")
    file_tables = {r[0] for r in file_con.execute(tables).fetchall()}
    file_cols = [r for r in file_con.execute(cols).fetchall() if r[0] in file_tables]
    lake_cols = [r for r in lake_con.execute(cols).fetchall() if r[0] in file_tables]
    assert len(file_cols) > 150 and lake_cols == file_cols
    assert lake_con.execute(tables).fetchall() == file_con.execute(tables).fetchall()
    assert lake_con.execute(views).fetchall() == file_con.execute(views).fetchall()
    assert wdb.current_version(lake_con) == wdb.latest_version()
    lake_con.close()
    again = warehouse.open_for_writing(f"ducklake:{tmp_path}/wh.ducklake")  # re-open: nothing re-applied
    assert again.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(wdb.migrations())
    assert again.execute("SELECT count(*) FROM metric_families").fetchone()[0] == \
        file_con.execute("SELECT count(*) FROM metric_families").fetchone()[0]
    again.close()
    file_con.close()


@pytest.mark.e2e
def test_rerun_adds_nothing_twice_on_a_lake(prefect_harness, sample_web, tmp_path):
    """The nightly flow twice into a local DuckLake catalog stores what it stores into a file, once."""
    from flows.ingest import nightly_ingest
    from flows.settings import Settings

    feeds = sample_web.write_feed_list(tmp_path / "feeds.opml")
    kw = dict(allowed_hosts=sample_web.host_port, batch_size=8, per_host_delay=0, request_deadline=15,
              read_timeout=10)
    file_db = tmp_path / "wh.duckdb"
    nightly_ingest(str(feeds), str(file_db), Settings(db=file_db, **kw))
    target = f"ducklake:{tmp_path}/wh.ducklake"
    first = nightly_ingest(str(feeds), target, Settings(db=target, **kw))
    con = warehouse.open_read_only(target)
    after_first = counts(con)
    con.close()
    # forget the conditional-GET validators so the second run really re-reads every feed and item
    con = warehouse.open_for_writing(target)
    con.execute("UPDATE feeds SET etag = NULL, last_modified = NULL")
    con.close()
    second = nightly_ingest(str(feeds), target, Settings(db=target, **kw))
    ref = duckdb.connect(str(file_db), read_only=True)
    con = warehouse.open_read_only(target)
    assert first["run"]["stored"] > 10 and second["run"]["items_new"] == 0 and second["run"]["stored"] == 0
    assert counts(con) == after_first == counts(ref)
    assert set(duplicate_keys(con).values()) == {0}
    # the analyst views answer the same on both (but for times and the newest URLs: two runs, two clocks)
    for view in ("SELECT * FROM mentions_weekly ORDER BY ALL",
                 "SELECT COLUMNS(c -> c NOT LIKE '%seen_at' AND c NOT LIKE '%url%') FROM vendor_country ORDER BY ALL",
                 "SELECT COLUMNS(c -> c NOT LIKE '%seen_at') FROM claim_spread ORDER BY ALL"):
        assert con.execute(view).fetchall() == ref.execute(view).fetchall()
    con.close()
    ref.close()


# ------------------------------------------------------------------------------------------- real PostgreSQL

def test_postgres_catalog_migrates_and_two_openers_agree(pg, tmp_path):
    target = _lake_on(pg, tmp_path, "migrate")
    results: list = []

    def open_one():
        try:
            c = warehouse.open_for_writing(target)
            results.append(wdb.current_version(c))
            c.close()
        except Exception as exc:  # noqa: BLE001 - reported by the assert below
            results.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [wdb.latest_version()] * 2
    con = warehouse.open_read_only(target)
    assert con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall() == \
        [(v,) for v, _, _ in wdb.migrations()]
    con.close()


KILLED_WRITER = """
import datetime, os, sys, time
import warehouse
from warehouse import ingest as wh
con = warehouse.open_for_writing(sys.argv[1])
wh.start_run(con, "killed", "nightly_ingest", None)
with wh.transaction(con):  # batch 1: committed
    wh.insert(con, "insert_items", [dict(item_id="a1", canonical_url="http://x/a1", url="http://x/a1",
              feed_id=1, first_seen_at=datetime.datetime(2026, 12, 1), run_id="killed")])
wh.lake.begin(con)  # batch 2: never committed
wh.insert(con, "insert_items", [dict(item_id="b2", canonical_url="http://x/b2", url="http://x/b2", feed_id=1,
          first_seen_at=datetime.datetime(2026, 12, 1), run_id="killed")])
print("in batch 2", flush=True)
time.sleep(120)
"""


def test_killed_writer_loses_only_its_uncommitted_batch(pg, tmp_path):
    target = _lake_on(pg, tmp_path, "killed")
    warehouse.open_for_writing(target).close()
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, target], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    try:
        assert proc.stdout.readline().strip() == "in batch 2"
        # while it holds the write lock, a reader still reads (the last commit)
        reader = warehouse.open_read_only(target)
        assert reader.execute("SELECT item_id FROM items").fetchall() == [("a1",)]
        reader.close()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    # its lock went with its connection: another writer commits at once, and sees the dead run as crashed
    started = time.monotonic()
    con = warehouse.open_for_writing(target)
    from warehouse import ingest as wh
    wh.start_run(con, "next", "nightly_ingest", None)
    assert time.monotonic() - started < 20
    assert con.execute("SELECT item_id FROM items ORDER BY 1").fetchall() == [("a1",)]
    assert dict(con.execute("SELECT run_id, status FROM runs").fetchall()) == {"killed": "crashed",
                                                                               "next": "running"}
    con.close()


def _split_feed_list(src: Path, dest_a: Path, dest_b: Path) -> None:
    """Two overlapping feed lists: A has the first two thirds of the outlines, B the last two thirds."""
    lines = src.read_text(encoding="utf-8").splitlines(keepends=True)
    outlines = [i for i, line in enumerate(lines) if "xmlUrl=" in line]
    third = len(outlines) // 3
    drop_a, drop_b = set(outlines[2 * third:]), set(outlines[:third])
    dest_a.write_text("".join(l for i, l in enumerate(lines) if i not in drop_a), encoding="utf-8")
    dest_b.write_text("".join(l for i, l in enumerate(lines) if i not in drop_b), encoding="utf-8")


@pytest.mark.e2e
def test_two_nightly_flows_at_once_into_postgres_lake(prefect_harness, sample_web, pg, tmp_path):
    """Two nightly flows with overlapping feed lists write one lake on PostgreSQL at the same time while an
    analyst queries it: the rows are those of one run over all feeds into a file, each once; a snapshot
    query still answers what the warehouse said before."""
    from flows.ingest import nightly_ingest
    from flows.settings import Settings

    full = sample_web.write_feed_list(tmp_path / "feeds.opml")
    feeds_a, feeds_b = tmp_path / "a.opml", tmp_path / "b.opml"
    _split_feed_list(full, feeds_a, feeds_b)
    kw = dict(allowed_hosts=sample_web.host_port, batch_size=4, per_host_delay=0, request_deadline=15,
              read_timeout=10)
    file_db = tmp_path / "wh.duckdb"
    nightly_ingest(str(full), str(file_db), Settings(db=file_db, **kw))
    target = _lake_on(pg, tmp_path, "concurrent")
    warehouse.open_for_writing(target).close()
    con = warehouse.open_read_only(target)
    empty_snapshot = con.execute("SELECT max(snapshot_id) FROM ducklake_snapshots('warehouse')").fetchone()[0]
    con.close()

    reports, errors, seen = {}, [], []
    done = threading.Event()

    def writer(name, feeds):
        try:
            reports[name] = nightly_ingest(str(feeds), target, Settings(db=target, **kw))
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append((name, exc))

    def reader():
        while not done.is_set():
            try:
                r = warehouse.open_read_only(target)
                seen.append(r.execute("SELECT (SELECT count(*) FROM articles), "
                                      "(SELECT count(*) FROM mentions_weekly)").fetchone())
                r.close()
            except Exception as exc:  # noqa: BLE001
                errors.append(("reader", exc))
            time.sleep(0.2)

    threads = [threading.Thread(target=writer, args=("a", feeds_a)), threading.Thread(target=writer, args=("b", feeds_b))]
    watcher = threading.Thread(target=reader)
    watcher.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    done.set()
    watcher.join(30)
    assert errors == []
    assert {"a", "b"} == set(reports) and all(r["run"]["status"] == "completed" for r in reports.values())
    # the analyst's queries ran during the writes and saw the lake grow, never shrink
    assert len(seen) >= 3 and [s[0] for s in seen] == sorted(s[0] for s in seen)

    ref = duckdb.connect(str(file_db), read_only=True)
    con = warehouse.open_read_only(target)
    assert set(duplicate_keys(con).values()) == {0}
    lake_counts, ref_counts = counts(con), counts(ref)
    assert lake_counts["articles"] > 10
    for table in ("items", "articles", "outcomes", "mentions", "claims", "deals", "feeds", "search_docs"):
        assert lake_counts[table] == ref_counts[table], table
    same = "SELECT url, title, text_source, word_count FROM articles ORDER BY url"
    assert con.execute(same).fetchall() == ref.execute(same).fetchall()
    # each item decided once, by one of the two runs
    assert con.execute("SELECT count(DISTINCT run_id) FROM outcomes").fetchone()[0] in (1, 2)
    assert con.execute("SELECT count(*) FROM runs WHERE status = 'completed'").fetchone()[0] == 2

    before_change = con.execute("SELECT max(snapshot_id) FROM ducklake_snapshots('warehouse')").fetchone()[0]
    weekly_before = con.execute("SELECT * FROM mentions_weekly ORDER BY ALL").fetchall()
    country = con.execute("SELECT entity FROM mentions WHERE entity_type = 'country' "
                          "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()[0]
    con.close()
    ref.close()

    # a gazetteer change re-tags the articles: that country's mentions go (replace_tags + rollups)
    from warehouse import ingest as wh
    from warehouse import search
    w = warehouse.open_for_writing(target)
    ids = [r[0] for r in w.execute("SELECT DISTINCT item_id FROM mentions WHERE entity = ?", [country]).fetchall()]
    kept = [dict(zip(("item_id", "entity_type", "entity", "surface", "start_char", "end_char", "nlp_version",
                      "origin"), r)) for r in w.execute(
        "SELECT item_id, entity_type, entity, surface, start_char, end_char, nlp_version, origin FROM mentions "
        "WHERE item_id IN (SELECT unnest(?)) AND entity <> ?", [ids, country]).fetchall()]
    wh.replace_tags(w, ids, "changed-gazetteer", mentions=kept, claims=[], deals=[], vendor_candidates=[])
    search.refresh_rollups(w, ids)
    w.close()

    # time travel: what the warehouse said before the change, and before both runs
    con = warehouse.open_read_only(target)
    now_n = con.execute("SELECT count(*) FROM mentions WHERE entity = ?", [country]).fetchone()[0]
    then_n = con.execute(f"SELECT count(*) FROM mentions AT (VERSION => {before_change}) WHERE entity = ?",
                         [country]).fetchone()[0]
    assert now_n == 0 and then_n == ref_counts_country(file_db, country) > 0
    assert con.execute(f"SELECT count(*) FROM articles AT (VERSION => {empty_snapshot})").fetchone()[0] == 0
    con.close()
    old = lake.connect(target, snapshot_version=before_change)  # the whole warehouse, views included, then
    assert old.execute("SELECT * FROM mentions_weekly ORDER BY ALL").fetchall() == weekly_before
    old.close()


def ref_counts_country(file_db: Path, country: str) -> int:
    ref = duckdb.connect(str(file_db), read_only=True)
    try:
        return ref.execute("SELECT count(*) FROM mentions WHERE entity = ?", [country]).fetchone()[0]
    finally:
        ref.close()


def test_export_of_a_warehouse_loads_into_a_fresh_one(tmp_path):
    """The way forward for a warehouse written by DuckDB 2 (which DuckDB 1.5 cannot open): its EXPORT DATABASE
    data loads into a new warehouse made by survwatch's own migrations (here the export is made by 1.5)."""
    from warehouse import convert
    from warehouse.db import latest_version

    old = warehouse.open_for_writing(tmp_path / "old.duckdb")
    old.execute("INSERT INTO reference_stats VALUES ('KE', 'crime rate', '2019', 1.5, 'percent', 'http://x', "
                "NULL, TIMESTAMP '2026-01-01')")
    old.execute(f"EXPORT DATABASE '{tmp_path / 'old.export'}' (FORMAT parquet)")
    old.close()
    rows = convert.import_export(tmp_path / "old.export", tmp_path / "new.duckdb")
    assert rows["reference_stats"] == 1 and rows["metric_families"] == 51 and rows["schema_migrations"] == latest_version()
    new = warehouse.open_read_only(tmp_path / "new.duckdb")
    assert new.execute("SELECT place, value FROM reference_stats").fetchall() == [("KE", 1.5)]
    assert new.execute("SELECT count(*) FROM metric_family_map").fetchone()[0] > 0  # views are there
    new.close()
    with pytest.raises(wdb.WarehouseError, match="exists already"):
        convert.import_export(tmp_path / "old.export", tmp_path / "new.duckdb")


def test_named_statements_need_no_keys():
    """A DuckLake warehouse has no keys: INSERT OR IGNORE / OR REPLACE / ON CONFLICT fail there with a Binder
    Error. Every named statement says "nothing twice" with an anti-join or MERGE instead (docs/lake.md)."""
    import re

    from warehouse import sqlfiles

    offending = []
    for relpath in ("statements.sql", "queries/_statements.sql", "digest/_sends.sql"):
        for name, sql in sqlfiles.statements(relpath).items():
            code = re.sub(r"--[^\n]*|'(?:[^']|'')*'", "", sql)
            if re.search(r"\bOR\s+(IGNORE|REPLACE)\s+INTO\b|\bON\s+CONFLICT\b", code, re.I):
                offending.append(f"{relpath}: {name}")
    assert offending == []


def test_warc_archive_of_a_lake_is_beside_its_catalog_not_under_the_working_directory(tmp_path, monkeypatch):
    # a lake target is no path: resolving it as one put ducklake:…/warc folders into the working directory
    from flows import warc

    monkeypatch.chdir(tmp_path)
    assert warc.base_dir(f"ducklake:{tmp_path}/cat/wh.ducklake") == tmp_path / "cat"
    assert warc.base_dir(f"ducklake:postgres:dbname=lake host=127.0.0.1 data_path={tmp_path}/lake-data") == tmp_path
    archive = warc.archive_for(f"ducklake:{tmp_path}/cat/wh.ducklake", "lake-run", 1)
    archive.append([warc.response_record("https://a.example/", 200, {}, b"<html></html>", dt.datetime(2025, 1, 1))])
    archive.close()
    assert list((tmp_path / "cat" / "warc").glob("*.warc.gz"))
    assert not list(tmp_path.glob("ducklake*"))
