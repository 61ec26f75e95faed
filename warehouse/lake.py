"""The warehouse on a DuckLake catalog instead of one DuckDB file.

A warehouse target (``SURVWATCH_DB`` / ``--db``) is either a file path, as before, or

* ``ducklake:postgres:dbname=lake host=127.0.0.1 port=5432 data_path=/srv/lake`` — the catalog in
  PostgreSQL (several writing processes, readers at any time); ``data_path`` (where the Parquet files go) is
  taken out of the libpq string, the rest goes to PostgreSQL as is;
* ``ducklake:/srv/x.ducklake`` (optionally ``… data_path=/srv/files``) — the catalog in a local DuckDB file
  (one process at a time, like a warehouse file); the data path defaults to ``/srv/x.ducklake.files``.

The connection is an in-memory DuckDB with the catalog attached as ``warehouse`` and made the default, so every
statement, view and named query runs unchanged. What DuckLake lacks is handled here:

* PRIMARY KEY / UNIQUE constraints and indexes: ``translate_ddl`` drops them from migrations; the named
  statements that relied on them are anti-join / MERGE inserts that work on both kinds of warehouse.
* One writer at a time per *transaction*: DuckLake's optimistic concurrency lets two transactions insert the
  same key (appends never conflict). Every write transaction on a PostgreSQL catalog first takes a PostgreSQL
  advisory lock (``WriteLock``), so it sees everything committed before it and its anti-joins hold; the slow
  work (fetching, extracting, tagging) still runs in parallel. The lock is a session lock of the process's own
  PostgreSQL connection: a killed writer's lock goes with its connection, and its uncommitted batch with it.
"""
from __future__ import annotations

import importlib.util
import os
import re
import tempfile
import weakref
from dataclasses import dataclass
from pathlib import Path

import duckdb

ALIAS = "warehouse"
# advisory lock keys (pg_advisory_lock(class, key)): one class for survwatch, one key per purpose
_LOCK_CLASS = 7215
_WRITE_KEY = 1  # exclusive per write transaction
_WRITER_ALIVE_KEY = 2  # shared for the whole life of a writing connection

# PyPI package -> the name DuckDB derives the entry point from (postgres is an alias of postgres_scanner)
_EXTENSIONS = {"ducklake": "ducklake", "postgres": "postgres_scanner", "fts": "fts"}


class LakeError(Exception):
    """A problem with a DuckLake target, worded for the person running the command."""


@dataclass(frozen=True)
class Target:
    spec: str  # as given
    catalog: str  # after "ducklake:", without data_path
    data_path: str
    postgres: bool

    @property
    def libpq(self) -> str:
        return self.catalog[len("postgres:"):] if self.postgres else ""

    @property
    def catalog_file(self) -> Path | None:
        return None if self.postgres else Path(self.catalog)


def is_lake(target: Path | str) -> bool:
    return str(target).startswith("ducklake:")


_DATA_PATH = re.compile(r"(?:^|\s)data_path=(\S+)")


def parse(target: Path | str) -> Target:
    spec = str(target)
    rest = spec[len("ducklake:"):].strip()
    match = _DATA_PATH.search(rest)
    data_path = match.group(1) if match else None
    catalog = _DATA_PATH.sub("", rest).strip()
    if not catalog:
        raise LakeError(f"warehouse {spec!r}: say where the catalog is, e.g. ducklake:/srv/x.ducklake or "
                        "ducklake:postgres:dbname=lake host=127.0.0.1 data_path=/srv/lake")
    postgres = catalog.startswith("postgres:")
    if postgres and not data_path:
        raise LakeError(f"warehouse {spec!r}: a PostgreSQL catalog needs data_path=DIR (where the Parquet data "
                        "files go), e.g. 'ducklake:postgres:dbname=lake host=127.0.0.1 data_path=/srv/lake'")
    if not postgres:
        catalog = str(Path(catalog).expanduser())
        data_path = data_path or catalog + ".files"
    return Target(spec, catalog, str(Path(data_path).expanduser()), postgres)


def extension_path(package: str) -> str:
    """The extension file shipped by the PyPI package duckdb-extension-<package>, under the file name DuckDB
    expects (the postgres package ships postgres.duckdb_extension, whose entry point is postgres_scanner)."""
    spec = importlib.util.find_spec(f"duckdb_extension_{package}")
    if spec is None or spec.origin is None:
        raise LakeError(f"the DuckDB extension package duckdb-extension-{package} is not installed (DuckDB "
                        f"{duckdb.__version__}); it exists for DuckDB 1.5.5 only: `pip install duckdb==1.5.5 "
                        f"duckdb-extension-{package}==1.5.5`, as pyproject.toml pins them")
    version = "v" + duckdb.__version__
    shipped = Path(spec.origin).parent / "extensions" / version / f"{package}.duckdb_extension"
    if not shipped.exists():
        found = sorted((Path(spec.origin).parent / "extensions").glob("*/*.duckdb_extension"))
        raise LakeError(f"duckdb-extension-{package} has {', '.join(str(f) for f in found) or 'no extension'} "
                        f"but DuckDB is {duckdb.__version__}: install the matching versions "
                        f"(`pip install duckdb-extension-{package}=={duckdb.__version__}`)")
    name = _EXTENSIONS[package]
    if shipped.stem == name:
        return str(shipped)
    link_dir = Path(tempfile.gettempdir()) / f"survwatch-duckdb-extensions-{os.getuid()}" / version
    link_dir.mkdir(parents=True, exist_ok=True)
    link = link_dir / f"{name}.duckdb_extension"
    if not link.exists() or os.path.realpath(link) != str(shipped.resolve()):
        tmp = link_dir / f".{name}.{os.getpid()}"
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(shipped.resolve())
        os.replace(tmp, link)
    return str(link)


def load_extension(con: duckdb.DuckDBPyConnection, package: str) -> None:
    con.execute(f"LOAD '{extension_path(package)}'")


# ---------------------------------------------------------------------------------------------------------
# connecting

_locks: "weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, WriteLock]" = weakref.WeakKeyDictionary()


def connect(target: Path | str, read_only: bool = False, *, snapshot_time: str | None = None,
            snapshot_version: int | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the lake attached as ``warehouse`` and in use.

    ``snapshot_time`` / ``snapshot_version`` open the lake as it was then (read-only): time travel."""
    t = parse(target)
    if t.catalog_file is not None and not t.catalog_file.exists() and read_only:
        raise LakeError(f"DuckLake catalog {t.catalog_file} does not exist yet: run `survwatch run --db "
                        f"'{t.spec}'` first")
    con = duckdb.connect(":memory:")
    # a writer's first ATTACH may create the catalog tables in PostgreSQL: two doing so at once collide
    # (duplicate pg_type), so it attaches under the write lock
    lock = WriteLock(t.libpq) if t.postgres and not read_only else None
    if lock is not None:
        lock.acquire()
    try:
        load_extension(con, "ducklake")
        if t.postgres:
            load_extension(con, "postgres")
        options = [f"DATA_PATH '{_quote(t.data_path)}'"]
        if read_only or snapshot_time or snapshot_version is not None:
            options.append("READ_ONLY")
        if snapshot_time:
            options.append(f"SNAPSHOT_TIME '{_quote(snapshot_time)}'")
        if snapshot_version is not None:
            options.append(f"SNAPSHOT_VERSION {int(snapshot_version)}")
        if not read_only:
            Path(t.data_path).mkdir(parents=True, exist_ok=True)
            if t.catalog_file is not None:
                t.catalog_file.parent.mkdir(parents=True, exist_ok=True)
        con.execute(f"ATTACH '{_quote('ducklake:' + t.catalog)}' AS {ALIAS} ({', '.join(options)})")
        con.execute(f"USE {ALIAS}")
    except duckdb.Error as exc:
        con.close()
        if lock is not None:
            lock.close()
        text = str(exc)
        if "lock" in text.lower() and t.catalog_file is not None:
            raise LakeError(f"DuckLake catalog {t.catalog_file} is in use by another process (a local catalog "
                            "file takes one process at a time; use a PostgreSQL catalog for several)") from None
        raise LakeError(f"cannot open DuckLake warehouse {t.spec!r}: {text.splitlines()[0]}") from None
    finally:
        if lock is not None and not lock.closed:
            lock.release()
    if lock is not None:
        _locks[con] = lock
    return con


def _quote(text: str) -> str:
    return text.replace("'", "''")


def is_lake_connection(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT type FROM duckdb_databases() WHERE database_name = current_database()"
                       ).fetchone()[0] == "ducklake"


class WriteLock:
    """PostgreSQL advisory locks of one writing process, on its own libpq connection (psycopg)."""

    def __init__(self, libpq: str):
        import psycopg

        try:
            self._pg = psycopg.connect(libpq, autocommit=True, application_name="survwatch-writer")
        except psycopg.Error as exc:
            raise LakeError(f"cannot connect to the DuckLake catalog's PostgreSQL ({libpq}): {exc}") from None
        self.depth = 0
        # held for this writer's whole life: lets others tell a live writer's 'running' run from a dead one
        self._pg.execute("SELECT pg_advisory_lock_shared(%s, %s)", (_LOCK_CLASS, _WRITER_ALIVE_KEY))

    def acquire(self) -> None:
        if self.depth == 0:
            self._pg.execute("SELECT pg_advisory_lock(%s, %s)", (_LOCK_CLASS, _WRITE_KEY))
        self.depth += 1

    def release(self) -> None:
        self.depth -= 1
        if self.depth == 0:
            self._pg.execute("SELECT pg_advisory_unlock(%s, %s)", (_LOCK_CLASS, _WRITE_KEY))

    def other_writers_alive(self) -> bool:
        """True when another writing process holds the shared 'alive' lock besides us."""
        rows = self._pg.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND objid = %s "
            "AND granted AND pid <> pg_backend_pid()", (_LOCK_CLASS, _WRITER_ALIVE_KEY)).fetchone()
        return rows[0] > 0

    @property
    def closed(self) -> bool:
        return self._pg.closed

    def close(self) -> None:
        self._pg.close()


def write_lock(con: duckdb.DuckDBPyConnection) -> WriteLock | None:
    """The write lock of a connection to a PostgreSQL-catalog lake (None for a file or a local catalog)."""
    return _locks.get(con)


def begin(con: duckdb.DuckDBPyConnection) -> None:
    """BEGIN a write transaction; on a shared lake, after taking the write lock (so the transaction's
    snapshot already holds every earlier commit)."""
    lock = _locks.get(con)
    if lock is not None:
        lock.acquire()
    try:
        con.execute("BEGIN TRANSACTION")
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def end(con: duckdb.DuckDBPyConnection, commit: bool) -> None:
    """COMMIT or ROLLBACK, then release the write lock."""
    lock = _locks.get(con)
    try:
        con.execute("COMMIT" if commit else "ROLLBACK")
    finally:
        if lock is not None:
            lock.release()


# ---------------------------------------------------------------------------------------------------------
# migrations and views: what DuckLake does not have

_VIEW_ONLY_COMMENT = re.compile(r"^\s*COMMENT\s+ON\s+(?:MACRO|COLUMN)\b", re.I)


def keeps_view_statement(sql: str) -> bool:
    """DuckLake stores comments on tables, views and table columns, not on macros or view columns: those
    statements of warehouse/views/*.sql are left out on a lake (warehouse/SCHEMA.md still documents them)."""
    return not _VIEW_ONLY_COMMENT.match(sql)


_STRING_OR_COMMENT = re.compile(r"'(?:[^']|'')*'|--[^\n]*")
_INDEX = re.compile(r"\bCREATE\s+(?:UNIQUE\s+)?INDEX\b[^;]*;", re.I)
_TABLE_KEY = re.compile(r",\s*(?:CONSTRAINT\s+\w+\s+)?(?:PRIMARY\s+KEY|UNIQUE)\s*\([^)]*\)", re.I)
_COLUMN_PK = re.compile(r"(?:\s+NOT\s+NULL)?\s+PRIMARY\s+KEY\b(?!\s*\()|\s+PRIMARY\s+KEY\b(?!\s*\()(?:\s+NOT\s+NULL)?", re.I)
_COLUMN_UNIQUE = re.compile(r"\s+UNIQUE\b(?!\s*\()", re.I)
_UNSUPPORTED = [(re.compile(r"\bCREATE\s+SEQUENCE\b|\bnextval\s*\(", re.I), "sequences"),
                (re.compile(r"\bCREATE\s+TYPE\b", re.I), "user-defined types (CREATE TYPE)"),
                (re.compile(r"\bADD\s+(?:CONSTRAINT|PRIMARY\s+KEY)\b", re.I), "added constraints")]


def translate_ddl(sql: str, source: str = "migration") -> str:
    """A migration as DuckLake accepts it: PRIMARY KEY / UNIQUE constraints and indexes removed (outside
    string literals, so COMMENT texts are untouched). What cannot be translated is refused by name."""
    out, last = [], 0
    for match in _STRING_OR_COMMENT.finditer(sql):
        out.append(_translate_code(sql[last:match.start()], source))
        out.append("" if match.group(0).startswith("--") else match.group(0))
        last = match.end()
    out.append(_translate_code(sql[last:], source))
    return "".join(out)


def _translate_code(code: str, source: str) -> str:
    for pattern, what in _UNSUPPORTED:
        if pattern.search(code):
            raise LakeError(f"{source}: DuckLake has no {what}; write the migration without them "
                            "(see docs/lake.md)")
    code = _INDEX.sub("", code)
    code = _TABLE_KEY.sub("", code)
    code = _COLUMN_PK.sub(" NOT NULL", code)  # a key column stays NOT NULL
    return _COLUMN_UNIQUE.sub("", code)
