import subprocess
import sys
import textwrap

import duckdb
import pytest

import warehouse
from warehouse import db as wdb
from warehouse import ingest as wh


def test_fresh_file_migrates_and_records_version(tmp_path):
    con = warehouse.open_for_writing(tmp_path / "w.duckdb")
    assert wdb.current_version(con) == wdb.latest_version()
    # opening again applies nothing new
    assert wdb.migrate(con) == wdb.latest_version()
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(wdb.migrations())


def test_every_table_and_column_is_commented(tmp_path):
    con = warehouse.open_for_writing(tmp_path / "w.duckdb")
    missing_tables = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE comment IS NULL OR comment = ''").fetchall()
    missing_cols = con.execute(
        "SELECT table_name || '.' || column_name FROM duckdb_columns() "
        "WHERE internal = false AND (comment IS NULL OR comment = '') "
        "AND table_name IN (SELECT table_name FROM duckdb_tables())").fetchall()
    assert missing_tables == [] and missing_cols == []


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "w.duckdb"
    con = warehouse.open_for_writing(path)
    con.execute("INSERT INTO schema_migrations VALUES (999, 'future', now()::TIMESTAMP)")
    with pytest.raises(warehouse.WarehouseError, match="newer"):
        wdb.migrate(con)


def test_store_batch_is_all_or_nothing(tmp_path):
    con = warehouse.open_for_writing(tmp_path / "w.duckdb")
    outcome = {"item_id": "a", "run_id": "r", "outcome": "stored", "reason": "article", "detail": None,
               "recorded_at": None}
    with pytest.raises(duckdb.Error):
        # NOT NULL recorded_at fails after articles were inserted: the transaction must roll back
        wh.store_batch(con, articles=[], outcomes=[outcome], mentions=[
            {"item_id": "a", "entity_type": "vendor", "entity": "Huawei", "surface": "Huawei",
             "start_char": 0, "end_char": 6, "nlp_version": "t"}], claims=[], deals=[])
    assert con.execute("SELECT count(*) FROM mentions").fetchone()[0] == 0


def test_second_writer_gets_clear_message(tmp_path):
    path = tmp_path / "w.duckdb"
    con = warehouse.open_for_writing(path)  # holds the work file in this process
    code = textwrap.dedent(f"""
        import warehouse
        try:
            warehouse.open_for_writing({str(path)!r})
        except warehouse.WarehouseError as exc:
            print("MSG", exc)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "another writing process" in out.stdout, out.stderr
    con.close()


def test_readers_see_published_state_while_a_writer_holds_the_work_file(tmp_path):
    path = tmp_path / "w.duckdb"
    con = warehouse.open_for_writing(path)
    con.execute("INSERT INTO runs (run_id, flow, started_at, status) VALUES ('r1', 'nightly_ingest', now()::TIMESTAMP, 'completed')")
    con.close()
    warehouse.publish(path)
    writer = warehouse.open_for_writing(path)  # a new run is writing
    writer.execute("INSERT INTO runs (run_id, flow, started_at, status) VALUES ('r2', 'nightly_ingest', now()::TIMESTAMP, 'running')")
    code = textwrap.dedent(f"""
        import duckdb
        con = duckdb.connect({str(path)!r}, read_only=True)
        print(sorted(r[0] for r in con.execute("SELECT run_id FROM runs").fetchall()))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "['r1']", out.stderr
    writer.close()
    warehouse.publish(path)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "['r1', 'r2']", out.stderr


def test_read_only_open_of_missing_file_is_explained(tmp_path):
    with pytest.raises(warehouse.WarehouseError, match="does not exist"):
        warehouse.open_read_only(tmp_path / "nope.duckdb")


def _article(item_id: str) -> dict:
    return {"item_id": item_id, "url": f"https://x.example/{item_id}", "fetched_at": wh._now(), "text": "t",
            "text_source": "page", "word_count": 1, "content_hash": "h" + item_id, "cluster_id": item_id}


def _candidate(item_id: str, name: str, version: str) -> dict:
    return {"item_id": item_id, "name": name, "surface": name, "start_char": 0, "end_char": len(name),
            "evidence": f"{name} supplied the cameras.", "cue": "supplier_verb", "nlp_version": version}


def test_vendor_candidates_are_stored_and_replaced_on_reprocess(tmp_path):
    con = warehouse.open_for_writing(tmp_path / "w.duckdb")
    outcomes = [{"item_id": i, "run_id": "r", "outcome": "stored", "reason": "article", "detail": None,
                 "recorded_at": wh._now()} for i in ("a", "b")]
    wh.store_batch(con, articles=[_article("a"), _article("b")], outcomes=outcomes, mentions=[], claims=[], deals=[],
                   vendor_candidates=[_candidate("a", "Zentrix", "1"), _candidate("a", "Orbis", "1"),
                                      _candidate("b", "Zentrix", "1")])
    stored = con.execute("SELECT item_id, name, nlp_version FROM vendor_candidates ORDER BY ALL").fetchall()
    assert stored == [("a", "Orbis", "1"), ("a", "Zentrix", "1"), ("b", "Zentrix", "1")]
    # re-tagging article a: its old candidates go, the new ones come; article b is untouched
    wh.replace_tags(con, ["a"], "2", mentions=[], claims=[], deals=[],
                    vendor_candidates=[_candidate("a", "Kestrel", "2")])
    after = con.execute("SELECT item_id, name, nlp_version FROM vendor_candidates ORDER BY ALL").fetchall()
    assert after == [("a", "Kestrel", "2"), ("b", "Zentrix", "1")]
    # a re-tag that finds none leaves none
    wh.replace_tags(con, ["b"], "2", mentions=[], claims=[], deals=[])
    assert con.execute("SELECT count(*) FROM vendor_candidates WHERE item_id = 'b'").fetchone()[0] == 0
    con.close()


def test_maintenance_due_after_its_interval(tmp_path):
    con = warehouse.open_for_writing(tmp_path / "w.duckdb")
    assert wh.maintenance_due(con, "compact_search_index", 7)  # never done
    wh.maintenance_done(con, "compact_search_index", 0.5, "run-1")
    assert not wh.maintenance_due(con, "compact_search_index", 7)
    assert wh.maintenance_due(con, "other_task", 7)
    con.execute("UPDATE maintenance SET last_done_at = last_done_at - INTERVAL 8 DAY")
    assert wh.maintenance_due(con, "compact_search_index", 7)
    wh.maintenance_done(con, "compact_search_index", 0.7, "run-2")  # replaces, never duplicates
    assert con.execute("SELECT count(*), any_value(run_id) FROM maintenance").fetchone() == (1, "run-2")
    con.close()


def test_batch_columns_come_from_every_row_not_only_the_first():
    # a feed-summary article (no WARC record) first in a batch must not drop the WARC columns of the rest
    from warehouse.store import to_arrow

    table = to_arrow([{"item_id": "a", "text": "summary"},
                      {"item_id": "b", "text": "page", "warc_file": "warc/x.warc.gz", "warc_offset": 7}])
    assert table.column_names == ["item_id", "text", "warc_file", "warc_offset"]
    assert table.column("warc_file").to_pylist() == [None, "warc/x.warc.gz"]
    assert table.column("warc_offset").to_pylist() == [None, 7]
