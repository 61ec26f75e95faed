"""Raw pages as WARC files beside the warehouse (warcio), and reading WARC files for the backfill.

Why: the DuckDB file is copied whole on every publish, so raw HTML inside it (gzip blobs) made each night's
copy grow with the archive. Pages now go to rotating ``warc/survwatch-<run>-<n>.warc.gz`` files next to the
warehouse, one gzip member per record (the layout Common Crawl uses, so any WARC tool can seek to one
record); articles keep ``warc_file``, ``warc_offset``, ``warc_length``.

The record bytes are built in the worker processes (``response_record``), next to extraction, so the flow
thread only appends bytes and fsyncs (``Archive.append``) before the batch's transaction commits: a stored
article always points at a durable record. A run killed between the fsync and the commit leaves records no
article points at; they are harmless (the items stay pending and are archived again by the next run).
"""
from __future__ import annotations

import datetime as dt
import gzip
import http
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date, iso_date_to_datetime
from warcio.warcwriter import WARCWriter

# The body we keep is decompressed and whole: headers that described the transfer would lie about it.
_TRANSFER_HEADERS = {"content-encoding", "transfer-encoding", "content-length", "connection", "keep-alive"}
WARC_VERSION = "WARC/1.1"  # 1.1: WARC-Date with microseconds


def _warc_date(when: dt.datetime) -> str:
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return datetime_to_iso_date(when, use_micros=True)


def response_record(url: str, status: int | None, headers: dict[str, str], body: bytes,
                    fetched_at: dt.datetime, note: str | None = None) -> bytes:
    """One gzip-compressed WARC ``response`` record: HTTP status line, headers, body; WARC-Date = fetch time."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True, warc_version=WARC_VERSION)
    code = status or 200
    try:
        phrase = http.HTTPStatus(code).phrase
    except ValueError:
        phrase = ""
    pairs = [(k, v) for k, v in headers.items() if k.lower() not in _TRANSFER_HEADERS]
    pairs.append(("Content-Length", str(len(body))))
    http_headers = StatusAndHeaders(f"{code} {phrase}".strip(), pairs, protocol="HTTP/1.1")
    warc_headers = {"WARC-Date": _warc_date(fetched_at)}
    if note:
        warc_headers["WARC-Survwatch-Note"] = note
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http_headers,
                                       warc_headers_dict=warc_headers)
    writer.write_record(record)
    return buf.getvalue()


@dataclass(frozen=True)
class Ref:
    file: str  # relative to the warehouse's folder
    offset: int
    length: int


class Archive:
    """Rotating WARC files of one run: ``<dir>/survwatch-<run>-<n>.warc.gz``, a new file past ``rotate_bytes``."""

    def __init__(self, base_dir: Path, run_id: str, rotate_bytes: int, subdir: str = "warc"):
        self.base_dir = Path(base_dir)
        self.subdir = subdir
        self.prefix = f"survwatch-{run_id.replace('-', '')[:12]}"
        self.rotate_bytes = rotate_bytes
        self._n = 0
        self._handle = None
        self._name: str | None = None
        self.written = 0

    def _path(self, n: int) -> Path:
        return self.base_dir / self.subdir / f"{self.prefix}-{n:05d}.warc.gz"

    def _open_next(self) -> None:
        self.close()
        (self.base_dir / self.subdir).mkdir(parents=True, exist_ok=True)
        while self._path(self._n).exists():  # never append to a file of another process
            self._n += 1
        path = self._path(self._n)
        self._n += 1
        self._handle = open(path, "ab")
        self._name = f"{self.subdir}/{path.name}"
        buf = io.BytesIO()  # warcinfo first: what wrote the file, for the researcher opening it
        writer = WARCWriter(buf, gzip=True, warc_version=WARC_VERSION)
        writer.write_record(writer.create_warcinfo_record(path.name, {
            "software": "survwatch (warcio)", "format": "WARC File Format 1.1",
            "description": "pages fetched by survwatch; articles.warc_file/warc_offset/warc_length point here"}))
        self._handle.write(buf.getvalue())
        _fsync_dir(path.parent)

    def append(self, records: list[bytes]) -> list[Ref]:
        """Write the records, flush and fsync; return where each one is. Rotates between batches only."""
        if not records:
            return []
        if self._handle is None or self._handle.tell() >= self.rotate_bytes:
            self._open_next()
        refs = []
        for data in records:
            offset = self._handle.tell()
            self._handle.write(data)
            refs.append(Ref(self._name, offset, len(data)))
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self.written += len(records)
        return refs

    def close(self) -> None:
        if self._handle is not None:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
            self._handle = None


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def base_dir(db: Path | str) -> Path:
    """The folder ``articles.warc_file`` is relative to: the warehouse file's, a local DuckLake catalog file's, or
    for a PostgreSQL catalog the folder holding its data_path (not data_path itself: DuckLake's orphan-file
    cleanup deletes files it does not know there). A lake target is no path: resolving it as one would put
    ``ducklake:…/warc`` under the working directory."""
    from warehouse import lake

    if lake.is_lake(db):
        target = lake.parse(db)
        if target.catalog_file is not None:
            return target.catalog_file.resolve().parent
        return Path(target.data_path).resolve().parent
    return Path(db).resolve().parent


def archive_for(db: Path | str, run_id: str, rotate_mb: int) -> Archive:
    """The archive of a run, in ``warc/`` beside the published warehouse (see :func:`base_dir`)."""
    return Archive(base_dir(db), run_id, rotate_mb * 1024 * 1024)


def read_record(base_dir: Path, file: str, offset: int, length: int) -> tuple[StatusAndHeaders | None, bytes]:
    """HTTP headers and body of the record at ``offset`` in ``file`` (relative to ``base_dir``)."""
    path = Path(base_dir) / file
    try:
        with open(path, "rb") as handle:
            handle.seek(offset)
            data = handle.read(length)
    except FileNotFoundError:
        raise FileNotFoundError(f"WARC file {path} is missing: the warehouse's warc/ folder must stay beside it "
                                "(copy or move them together)") from None
    for record in ArchiveIterator(io.BytesIO(data)):
        return record.http_headers, record.content_stream().read()
    raise ValueError(f"{path} at offset {offset}: no WARC record there (file truncated or overwritten?)")


def page_response(base_dir: Path, row: dict[str, Any]) -> tuple[dict[str, str], bytes] | None:
    """Response headers (lower-case names) and body of an article row's raw page, or None when it has none.
    Raises FileNotFoundError (WARC file gone) or ValueError (no record at the offset) with the file named."""
    if row.get("warc_file"):
        headers, body = read_record(base_dir, row["warc_file"], row["warc_offset"], row["warc_length"])
        return ({k.lower(): v for k, v in headers.headers} if headers is not None else {}), body
    if row.get("raw_html_gz"):
        return {"content-type": "text/html"}, gzip.decompress(row["raw_html_gz"])
    return None


def page_bytes(base_dir: Path, row: dict[str, Any]) -> bytes | None:
    """The raw page of an article row: from its WARC record, else from a pre-008 raw_html_gz blob."""
    if row.get("warc_file"):
        return read_record(base_dir, row["warc_file"], row["warc_offset"], row["warc_length"])[1]
    if row.get("raw_html_gz"):
        return gzip.decompress(row["raw_html_gz"])
    return None


# ---- reading WARC files for the backfill ----

@dataclass
class WarcPage:
    """One usable response record of an input WARC file."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    warc_date: dt.datetime | None
    offset: int


@dataclass
class Skipped:
    """A record the backfill does not use, and why."""

    reason: str  # request, metadata, revisit, warcinfo … (record type), not_http, http_NNN, not_html, too_large
    url: str | None
    offset: int


def _parse_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return iso_date_to_datetime(value).replace(tzinfo=None)
    except (ValueError, TypeError):
        return None


def iter_warc(stream, max_bytes: int) -> Iterator[WarcPage | Skipped]:
    """Stream the records of a WARC file (gzip per record, whole-file gzip or plain): HTML responses as pages,
    everything else as a skip with a reason. Memory holds one record at a time."""
    records = ArchiveIterator(stream)
    for record in records:
        # get_record_offset() reads the record to its end: call it only once the body is read (or not wanted)
        offset = lambda: records.get_record_offset()  # noqa: E731
        url = record.rec_headers.get_header("WARC-Target-URI")
        if record.rec_type != "response":
            yield Skipped(record.rec_type or "unknown", url, offset())
            continue
        if not url or not url.lower().startswith(("http://", "https://")):
            yield Skipped("not_http", url, offset())
            continue
        if record.http_headers is None:
            yield Skipped("no_http_headers", url, offset())
            continue
        try:
            status = int(record.http_headers.get_statuscode() or 0)
        except ValueError:
            status = 0
        if not 200 <= status < 300:
            yield Skipped(f"http_{status}", url, offset())
            continue
        ctype = (record.http_headers.get_header("Content-Type") or "").lower()
        if ctype and "html" not in ctype:
            yield Skipped("not_html", url, offset())
            continue
        body = record.content_stream().read(max_bytes + 1)
        if len(body) > max_bytes:
            yield Skipped("too_large", url, offset())
            continue
        headers = {k.lower(): v for k, v in record.http_headers.headers
                   if k.lower() not in _TRANSFER_HEADERS}
        yield WarcPage(url, status, headers, body, _parse_date(record.rec_headers.get_header("WARC-Date")), offset())


# ---- pre-008 warehouses: raw_html_gz blobs to WARC ----

MIGRATED_NOTE = "moved from articles.raw_html_gz (written before survwatch kept WARC files): response headers were not kept"


def move_blobs_to_warc(con, archive: Archive, batch: int = 500) -> int:
    """Write every remaining raw_html_gz blob to the run's WARC file, point its article at the record and clear the
    blob, a batch per transaction (records fsynced first): a kill loses nothing, a rerun continues. Returns how
    many pages moved. The HTTP headers were never stored, so the record says text/html and carries a note."""
    from warehouse import ingest as wh

    from .stopping import deferred

    moved = 0
    while True:
        rows = wh.articles_with_blobs(con, batch)
        if not rows:
            break
        records = [response_record(r["final_url"] or r["url"], r["http_status"], {"content-type": "text/html"},
                                   gzip.decompress(r["raw_html_gz"]), r["fetched_at"], note=MIGRATED_NOTE)
                   for r in rows]
        refs = archive.append(records)
        with deferred():
            wh.set_warc_refs(con, [{"item_id": r["item_id"], "warc_file": ref.file, "warc_offset": ref.offset,
                                    "warc_length": ref.length} for r, ref in zip(rows, refs)])
        moved += len(rows)
    if moved:
        con.execute("CHECKPOINT")  # give the blobs' blocks back to the file's free list now
    return moved


def raw_pages(con, db: Path, item_ids: list[str]) -> dict[str, bytes]:
    """The raw pages of stored articles, by item_id, wherever they are: WARC records beside the warehouse ``db``
    or, for rows not yet moved, legacy raw_html_gz blobs (feed-summary articles have none and are left out)."""
    from warehouse import ingest as wh

    base = base_dir(db)
    out = {}
    for row in wh.article_pages(con, item_ids):
        body = page_bytes(base, row)
        if body is not None:
            out[row["item_id"]] = body
    return out
