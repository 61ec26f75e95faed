"""Raw pages as WARC files: records any WARC tool reads, rotation, offsets, and moving pre-008 blobs out."""
from __future__ import annotations

import datetime as dt
import gzip
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from warcio.archiveiterator import ArchiveIterator

import warehouse
from warehouse import db as whdb
from warehouse import sqlfiles
from flows import warc

WHEN = dt.datetime(2025, 3, 4, 5, 6, 7, 890123)


def _page(i: int) -> bytes:
    return (f"<html><head><title>Page {i}</title></head><body><p>" + "caméra " * (50 + i) + "</p></body></html>").encode()


def test_records_read_back_by_warcio_with_headers_and_date(tmp_path):
    archive = warc.Archive(tmp_path, "run-1234", rotate_bytes=10_000_000)
    records = [warc.response_record(f"https://news.example/a/{i}", 200,
                                    {"content-type": "text/html; charset=utf-8", "content-encoding": "gzip",
                                     "x-served-by": "cache-1"}, _page(i), WHEN) for i in range(5)]
    refs = archive.append(records)
    archive.close()
    assert len({r.file for r in refs}) == 1 and refs[0].offset > 0  # warcinfo first
    path = tmp_path / refs[0].file
    with open(path, "rb") as f:
        seen = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.rec_headers.get_header("WARC-Date"),
                 r.http_headers.get_header("Content-Type") if r.http_headers else None,
                 r.http_headers.get_header("Content-Encoding") if r.http_headers else None,
                 r.content_stream().read()) for r in ArchiveIterator(f)]
    assert seen[0][0] == "warcinfo"
    responses = seen[1:]
    assert [s[1] for s in responses] == [f"https://news.example/a/{i}" for i in range(5)]
    assert {s[2] for s in responses} == {"2025-03-04T05:06:07.890123Z"}
    assert {s[3] for s in responses} == {"text/html; charset=utf-8"}
    # the body is kept decompressed, so the transfer's Content-Encoding must not be claimed
    assert {s[4] for s in responses} == {None}
    assert [s[5] for s in responses] == [_page(i) for i in range(5)]
    for i, ref in enumerate(refs):  # each reference opens its own record
        headers, body = warc.read_record(tmp_path, ref.file, ref.offset, ref.length)
        assert body == _page(i) and headers.get_statuscode() == "200"


@pytest.mark.skipif(shutil.which("warcio") is None and not (Path(sys.executable).parent / "warcio").exists(),
                    reason="warcio command not installed")
def test_warcio_check_and_index_accept_the_files(tmp_path):
    archive = warc.Archive(tmp_path, "run-x", rotate_bytes=10_000_000)
    refs = archive.append([warc.response_record(f"https://a.example/{i}", 200, {"content-type": "text/html"},
                                                _page(i), WHEN) for i in range(3)])
    archive.close()
    exe = shutil.which("warcio") or str(Path(sys.executable).parent / "warcio")
    path = str(tmp_path / refs[0].file)
    check = subprocess.run([exe, "check", "-v", path], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "digest pass" in check.stdout
    index = subprocess.run([exe, "index", "-f", "warc-type,warc-target-uri,offset,length", path],
                           capture_output=True, text=True)
    lines = [ln for ln in index.stdout.splitlines() if '"response"' in ln]
    assert len(lines) == 3
    for ref, line in zip(refs, lines):
        assert f'"offset": "{ref.offset}"' in line and f'"length": "{ref.length}"' in line


def test_rotation_starts_new_files_between_batches(tmp_path):
    archive = warc.Archive(tmp_path, "rot", rotate_bytes=200)  # less than one batch
    refs = []
    for b in range(4):
        refs += archive.append([warc.response_record(f"https://r.example/{b}/{i}", 200, {}, _page(i) * 3, WHEN)
                                for i in range(2)])
    archive.close()
    files = sorted({r.file for r in refs})
    assert len(files) == 4  # every batch passed the size, so each next batch opened a new file
    assert all(f.startswith("warc/survwatch-rot-") and f.endswith(".warc.gz") for f in files)
    for i, ref in enumerate(refs):
        assert warc.read_record(tmp_path, ref.file, ref.offset, ref.length)[1] == _page(i % 2) * 3


def test_iter_warc_keeps_html_responses_and_names_the_rest(tmp_path):
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "in.warc.gz"
    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=True)
        w.write_record(w.create_warcinfo_record("in.warc.gz", {"software": "test"}))
        w.write_record(w.create_warc_record("https://x.example/a", "request", payload=BytesIO(b"GET /a HTTP/1.1\r\n\r\n")))
        for url, status, ctype, body in [("https://x.example/a", "200 OK", "text/html", b"<html>a</html>"),
                                         ("https://x.example/logo.png", "200 OK", "image/png", b"\x89PNG"),
                                         ("https://x.example/gone", "404 Not Found", "text/html", b"gone"),
                                         ("dns:x.example", "200 OK", "text/dns", b"1.2.3.4")]:
            w.write_record(w.create_warc_record(url, "response", payload=BytesIO(body),
                                                http_headers=StatusAndHeaders(status, [("Content-Type", ctype)],
                                                                              protocol="HTTP/1.1")))
    with open(path, "rb") as f:
        out = list(warc.iter_warc(f, 1000))
    pages = [o for o in out if isinstance(o, warc.WarcPage)]
    assert [(p.url, p.body) for p in pages] == [("https://x.example/a", b"<html>a</html>")]
    assert pages[0].warc_date is not None
    assert [o.reason for o in out if isinstance(o, warc.Skipped)] == ["warcinfo", "request", "not_html", "http_404",
                                                                       "not_http"]


def _old_format_warehouse(path: Path, pages: dict[str, bytes]) -> None:
    """A warehouse as survwatch wrote it before migration 008: schema 006, pages as raw_html_gz blobs."""
    con = duckdb.connect(str(path))
    con.execute(sqlfiles.read("schema_migrations.sql"))
    for number, name, mig in whdb.migrations():
        if number > 6:
            break
        con.execute(mig.read_text(encoding="utf-8"))
        con.execute(sqlfiles.stmt("record_migration"), [number, name])
    for n, (item, body) in enumerate(sorted(pages.items())):
        con.execute("INSERT INTO items (item_id, canonical_url, url, feed_id, first_seen_at, run_id) "
                    "VALUES (?, ?, ?, 1, ?, 'r0')", [item, f"https://old.example/{item}", f"https://old.example/{item}", WHEN])
        con.execute("INSERT INTO articles (item_id, url, final_url, http_status, fetched_at, text, text_source, "
                    "word_count, content_hash, cluster_id, raw_html_gz) VALUES (?, ?, ?, 200, ?, 't', 'page', 1, ?, ?, ?)",
                    [item, f"https://old.example/{item}", f"https://old.example/{item}", WHEN + dt.timedelta(minutes=n),
                     "h" + item, item, gzip.compress(body)])
    con.close()


def test_old_warehouse_blobs_move_to_warc_without_loss(tmp_path):
    pages = {f"i{n:03d}": _page(n) + bytes(range(256)) * n for n in range(23)}  # not all valid UTF-8: bytes kept
    db = tmp_path / "wh.duckdb"
    _old_format_warehouse(db, pages)
    con = warehouse.open_for_writing(db)  # migrates to 008
    try:
        archive = warc.archive_for(db, "migrate-test", rotate_mb=1)
        moved = warc.move_blobs_to_warc(con, archive, batch=5)  # several batches
        archive.close()
        assert moved == len(pages)
        assert con.execute("SELECT count(*) FROM articles WHERE raw_html_gz IS NOT NULL").fetchone() == (0,)
        rows = con.execute("SELECT item_id, warc_file, warc_offset, warc_length, fetched_at FROM articles "
                           "ORDER BY item_id").fetchall()
        for item, file, offset, length, fetched in rows:
            headers, body = warc.read_record(tmp_path, file, offset, length)
            assert body == pages[item]
        # idempotent: nothing left to move on the next run
        assert warc.move_blobs_to_warc(con, warc.archive_for(db, "again", 1)) == 0
    finally:
        con.close()
    # every record of the file is readable by a plain ArchiveIterator, with the fetch time as WARC-Date
    files = sorted((tmp_path / "warc").glob("*.warc.gz"))
    dates = {}
    for f in files:
        with open(f, "rb") as h:
            for r in ArchiveIterator(h):
                if r.rec_type == "response":
                    dates[r.rec_headers.get_header("WARC-Target-URI")] = r.rec_headers.get_header("WARC-Date")
    assert len(dates) == len(pages)
    assert dates["https://old.example/i003"] == "2025-03-04T05:09:07.890123Z"


def test_raw_pages_reads_warc_rows_and_legacy_blobs_alike(tmp_path):
    pages = {f"i{n:03d}": _page(n) for n in range(6)}
    db = tmp_path / "wh.duckdb"
    _old_format_warehouse(db, pages)
    con = warehouse.open_for_writing(db)
    try:
        archive = warc.archive_for(db, "half", rotate_mb=1)
        warc.move_blobs_to_warc(con, archive, batch=3)
        archive.close()
        # put two rows back to the legacy layout: a warehouse half way through its move
        for item in ("i001", "i004"):
            con.execute("UPDATE articles SET warc_file = NULL, raw_html_gz = ? WHERE item_id = ?",
                        [gzip.compress(pages[item]), item])
        assert warc.raw_pages(con, work_path_of(db), sorted(pages)) == pages
    finally:
        con.close()


def work_path_of(db: Path) -> Path:
    return whdb.work_path(db)
