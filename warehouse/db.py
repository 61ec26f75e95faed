"""Opening, migrating and publishing the DuckDB warehouse.

Concurrency design: DuckDB allows one writing process per file, and a read-only
open fails while a writer holds the file. So ingest never writes the file that
analysts open. It writes a private *work* file next to it and, at the end of each
run, publishes a copy atomically (copy to a temp name, fsync, ``os.replace``).
Readers always open the published file, which no process ever holds for writing;
a reader that opened the previous version keeps reading it until it reconnects.

On a DuckLake catalog (a target ``ducklake:…``, see warehouse/lake.py) there is no work file: every
committed transaction is published, readers see the last commit, and several processes may write.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import duckdb

from . import lake, sqlfiles

MIGRATIONS = sqlfiles.HERE / "migrations"
_MIGRATION_FILE = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


class WarehouseError(Exception):
    """A problem with the warehouse file, worded for the person running the command."""


def work_path(published: Path) -> Path:
    """The private file ingest writes to: ``x.duckdb`` -> ``x.work.duckdb``."""
    published = Path(published)
    return published.with_name(published.stem + ".work" + (published.suffix or ".duckdb"))


def migrations() -> list[tuple[int, str, Path]]:
    found = []
    for path in sorted(MIGRATIONS.glob("*.sql")):
        match = _MIGRATION_FILE.match(path.name)
        if match:
            found.append((int(match.group(1)), match.group(2), path))
    return found


def latest_version() -> int:
    return max(v for v, _, _ in migrations())


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open a warehouse file or lake, translating lock/missing-file errors into clear messages."""
    if lake.is_lake(path):
        try:
            return lake.connect(path, read_only=read_only)
        except lake.LakeError as exc:
            raise WarehouseError(str(exc)) from None
    path = Path(path)
    if read_only and not path.exists():
        others = sorted(p for p in path.parent.glob("*.duckdb") if not p.name.endswith(".work.duckdb")) \
            if path.parent.is_dir() else []
        hint = f"; warehouses in {path.parent}: " + ", ".join(f"--db {p}" for p in others) if others else ""
        raise WarehouseError(f"warehouse {path} does not exist yet: run `survwatch run` (or `survwatch demo`) "
                             f"first, or pass --db{hint}")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseError(
                f"warehouse {path} is in use by another writing process (another ingest is running?). "
                "Wait for it to finish; analysts should open the published file read-only."
            ) from None
        if "newer version of DuckDB" in str(exc):
            raise WarehouseError(
                f"warehouse {path} was written by a newer DuckDB (2.x) than survwatch's {duckdb.__version__}, "
                f"which cannot read it. Convert it once: with DuckDB 2, `duckdb {path} -c \"EXPORT DATABASE "
                f"'{path}.export' (FORMAT parquet)\"`, then `python -m warehouse.convert {path}.export NEW.duckdb` "
                "(docs/lake.md, 'Files written by DuckDB 2')") from None
        raise WarehouseError(f"cannot open warehouse {path}: {exc}") from None


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(sqlfiles.stmt("migrations_table_exists")).fetchone()[0]
    if not exists:
        return 0
    return con.execute(sqlfiles.stmt("schema_version")).fetchone()[0] or 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply pending migrations in order, each in its own transaction; return the version."""
    version = current_version(con)
    newest = latest_version()
    if version > newest:
        raise WarehouseError(
            f"warehouse schema version {version} is newer than this survwatch knows ({newest}); upgrade survwatch"
        )
    if version == 0:
        sql = sqlfiles.read("schema_migrations.sql")
        if lake.is_lake_connection(con):
            lake.begin(con)
            try:
                con.execute(lake.translate_ddl(sql, "schema_migrations.sql"))
            except Exception:
                lake.end(con, commit=False)
                raise
            lake.end(con, commit=True)
        else:
            con.execute(sql)
    on_lake = lake.is_lake_connection(con)
    for number, name, path in migrations():
        if number <= version:
            continue
        sql = path.read_text(encoding="utf-8")
        if on_lake:
            try:
                sql = lake.translate_ddl(sql, str(path))
            except lake.LakeError as exc:
                raise WarehouseError(str(exc)) from None
        lake.begin(con)
        try:
            if on_lake and current_version(con) >= number:  # another writer applied it meanwhile
                lake.end(con, commit=False)
                continue
            con.execute(sql)
            con.execute(sqlfiles.stmt("record_migration"), [number, name])
        except Exception:
            lake.end(con, commit=False)
            raise
        lake.end(con, commit=True)
    _apply_views_once(con, on_lake)
    return newest


def _apply_views_once(con: duckdb.DuckDBPyConnection, on_lake: bool) -> None:
    # On a lake the views are catalog entries shared by every process: re-create them under the write
    # lock, in one transaction, so two writers opening at once do not conflict.
    if not on_lake:
        apply_views(con)
        return
    lake.begin(con)
    try:
        for path in sorted((sqlfiles.HERE / "views").glob("*.sql")):
            for statement in con.extract_statements(path.read_text(encoding="utf-8")):
                if lake.keeps_view_statement(statement.query):
                    con.execute(statement.query)
    except Exception:
        lake.end(con, commit=False)
        raise
    lake.end(con, commit=True)


def apply_views(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create analyst views; they hold no data, so they are replaced on every open."""
    for path in sorted((sqlfiles.HERE / "views").glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))


def open_for_writing(published: Path | str, memory_limit_mb: int | None = None) -> duckdb.DuckDBPyConnection:
    """Open (creating or upgrading) the work file behind ``published``. ``memory_limit_mb`` caps DuckDB's buffer
    pool for this connection (by default DuckDB may keep 80 % of the machine's memory as cache, so a long run's
    memory grows with the warehouse); work past it spills to a temporary folder."""
    if lake.is_lake(published):  # writers commit straight into the lake
        con = connect(published)
    else:
        published = Path(published)
        work = work_path(published)
        if not work.exists() and published.exists():
            shutil.copyfile(published, work)  # continue from the published state
        con = connect(work)
    if memory_limit_mb:
        con.execute(f"SET memory_limit = '{int(memory_limit_mb)}MB'")
    migrate(con)
    return con


def reopen_for_writing(con: duckdb.DuckDBPyConnection, published: Path | str,
                       memory_limit_mb: int | None = None) -> duckdb.DuckDBPyConnection:
    """Checkpoint, close and reopen a run's writing connection (a warehouse file; a lake connection is returned
    as it is). Why: a connection that has written many rows keeps every key index it touched loaded and its
    not-yet-checkpointed rows in memory, inside ``memory_limit``; after a 200,000-record backfill that was ~60 of
    a 128 MB limit and the index stage ran out of memory, while a fresh connection indexed the same warehouse at
    128 MB (it loads key indexes only as far as it needs them)."""
    if lake.is_lake(published):
        return con
    con.execute("CHECKPOINT")
    con.close()
    return open_for_writing(published, memory_limit_mb)


def publish(published: Path | str) -> Path:
    """Atomically replace the published file by a copy of the (closed) work file.

    On a lake, every commit is already published: nothing to do."""
    if lake.is_lake(published):
        return published  # type: ignore[return-value]
    published = Path(published)
    work = work_path(published)
    tmp = published.with_name(published.name + ".publishing")
    shutil.copyfile(work, tmp)
    with open(tmp, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, published)
    return published


def open_read_only(published: Path | str) -> duckdb.DuckDBPyConnection:
    return connect(published, read_only=True)
