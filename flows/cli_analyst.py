"""Analyst commands: ad-hoc SQL, named queries, reference statistics, keyword search, schema docs.

Registered on the main ``survwatch`` app by ``flows.cli._register_extensions`` through :func:`register`.
Everything here reads the *published* warehouse read-only (``warehouse.open_read_only``), except
``reference load``, which writes the work file and publishes it like ``feeds import`` does.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.table import Table

QUERIES_DIR = Path(__file__).resolve().parents[1] / "warehouse" / "queries"

console = Console()
err = Console(stderr=True)

DbOpt = Annotated[Optional[Path], typer.Option("--db", help="Warehouse file (default: SURVWATCH_DB).")]
CsvOpt = Annotated[Optional[Path], typer.Option("--csv", help="Write all rows to this CSV file instead of printing.")]
JsonOpt = Annotated[Optional[Path], typer.Option("--json", help="Write all rows to this file as a JSON array.")]
ParquetOpt = Annotated[Optional[Path], typer.Option("--parquet", help="Write all rows to this Parquet file.")]
LimitOpt = Annotated[int, typer.Option("--limit", min=1, help="Rows to print (files get every row).")]

reference_app = typer.Typer(help="Reference statistics that claims are checked against.", no_args_is_help=True)


# ---------------------------------------------------------------------------------------------- helpers

def _fail(message: str, code: int = 1):
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def _settings(**overrides):
    from . import cli  # imported lazily: flows.cli imports this module while it is being defined

    return cli._settings(**overrides)


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    sql: str
    description: str

    @property
    def summary(self) -> str:
        return self.description.splitlines()[0] if self.description else ""


def named_queries() -> dict[str, NamedQuery]:
    """Analyst queries in warehouse/queries/NAME.sql (files starting with "_" are internal)."""
    found = {}
    for path in sorted(QUERIES_DIR.glob("*.sql")):
        if path.name.startswith("_"):
            continue
        sql = path.read_text(encoding="utf-8")
        lines = []
        for line in sql.splitlines():
            stripped = line.strip()
            if not stripped.startswith("--"):
                break
            lines.append(stripped.lstrip("-").strip())
        found[path.stem] = NamedQuery(path.stem, path, sql, "\n".join(lines))
    return found


def _strip_comments_and_strings(sql: str) -> str:
    return re.sub(r"--[^\n]*|'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"", " ", sql)


def query_params(sql: str) -> list[str]:
    """Named parameters ($name) a query needs, in order of first use."""
    return list(dict.fromkeys(re.findall(r"\$([A-Za-z_]\w*)", _strip_comments_and_strings(sql))))


def _parse_params(pairs: list[str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_]\w*", key.strip()):
            _fail(f"--param {pair!r} is not of the form name=value")
        value = value.strip()
        if re.fullmatch(r"[+-]?\d+", value):
            params[key.strip()] = int(value)
        elif re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?", value):
            params[key.strip()] = float(value)
        else:
            params[key.strip()] = value
    return params


def _open_read_only(db: Optional[Path]):
    import warehouse

    s = _settings(db=db)
    try:
        return warehouse.open_read_only(s.db)
    except warehouse.WarehouseError as exc:
        _fail(str(exc))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.4f}".rstrip("0").rstrip(".")
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes" if not value.second else "seconds")
    if isinstance(value, (list, tuple)):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    return str(value)


def _print_result(cur, limit: int, title: str | None = None) -> None:
    """A rich table; rows that would not fit the terminal are shown one record per block instead."""
    if cur.description is None:
        console.print("ok (no result set)")
        return
    names = [d[0] for d in cur.description]
    rows = cur.fetchmany(limit + 1)
    more = len(rows) > limit
    cells = [[_cell(v) for v in row] for row in rows[:limit]]
    widths = [max([len(n)] + [min(len(r[i]), 40) for r in cells]) for i, n in enumerate(names)]
    if sum(widths) + 3 * len(names) + 1 <= console.width or len(names) <= 2:
        t = Table(title=title)
        for name in names:
            t.add_column(name, overflow="fold")
        for r in cells:
            t.add_row(*r)
        console.print(t)
    else:
        if title:
            console.print(title, style="italic")
        for n, r in enumerate(cells, 1):
            t = Table(title=f"row {n}", show_header=False, title_justify="left")
            t.add_column("column", style="bold")
            t.add_column("value", overflow="fold")
            for name, value in zip(names, r):
                t.add_row(name, value)
            console.print(t)
    shown = len(cells)
    note = f"{shown} row{'s' if shown != 1 else ''}"
    if more:
        note = f"first {limit} rows shown; more not shown (raise --limit or write them with --csv/--json/--parquet)"
    console.print(note, style="dim")


def _output_target(csv: Optional[Path], json_: Optional[Path], parquet: Optional[Path]) -> tuple[str, Path] | None:
    chosen = [(fmt, p) for fmt, p in (("csv", csv), ("json", json_), ("parquet", parquet)) if p is not None]
    if len(chosen) > 1:
        _fail("choose one of --csv, --json, --parquet")
    return chosen[0] if chosen else None


_COPY_OPTIONS = {"csv": "FORMAT csv, HEADER true", "json": "FORMAT json, ARRAY true", "parquet": "FORMAT parquet"}


def _write_file(con, sql: str, params: dict[str, Any] | None, fmt: str, path: Path) -> int:
    """Stream the query's rows into ``path`` with DuckDB's COPY; return the row count."""
    import duckdb

    body = sql.strip().rstrip(";").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    copy = f"COPY (\n{body}\n) TO $__path ({_COPY_OPTIONS[fmt]})"
    try:
        res = con.execute(copy, {**(params or {}), "__path": str(path)}).fetchall()
    except duckdb.Error as exc:
        _fail(f"cannot write {path}: {_short_error(exc)}")
    return int(res[0][0]) if res else 0


def _short_error(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _run(con, sql: str, params: dict[str, Any] | None, what: str):
    import duckdb

    try:
        return con.execute(sql, params) if params else con.execute(sql)
    except duckdb.Error as exc:
        message = str(exc).strip()
        if "read-only" in message.lower() or "read only" in message.lower():
            _fail(f"{what}: the published warehouse is opened read-only; only queries are allowed ({_short_error(exc)})")
        _fail(f"{what}: {message}")


# ---------------------------------------------------------------------------------------------- commands

def sql_cmd(statement: Annotated[str, typer.Argument(help="SQL to run, e.g. \"SELECT * FROM trending LIMIT 10\".")],
            db: DbOpt = None, csv: CsvOpt = None, json_: JsonOpt = None, parquet: ParquetOpt = None,
            limit: LimitOpt = 100) -> None:
    """Run SQL read-only against the published warehouse and print the result."""
    if not statement.strip():
        _fail("empty SQL statement")
    target = _output_target(csv, json_, parquet)
    con = _open_read_only(db)
    try:
        if target:
            n = _write_file(con, statement, None, *target)
            console.print(f"wrote {n} rows to {target[1]}")
        else:
            _print_result(_run(con, statement, None, "SQL error"), limit)
    finally:
        con.close()


def query_cmd(name: Annotated[Optional[str], typer.Argument(help="Named query (see --list).")] = None,
              list_: Annotated[bool, typer.Option("--list", help="List the named queries.")] = False,
              param: Annotated[list[str], typer.Option("--param", help="Query parameter name=value (repeatable).")] = [],
              db: DbOpt = None, csv: CsvOpt = None, json_: JsonOpt = None, parquet: ParquetOpt = None,
              limit: LimitOpt = 100) -> None:
    """Run a named analyst query (warehouse/queries/NAME.sql) read-only against the published warehouse."""
    queries = named_queries()
    if list_:
        t = Table(title="named queries (survwatch query NAME)")
        t.add_column("name", style="bold")
        t.add_column("parameters")
        t.add_column("what it answers", overflow="fold")
        for q in queries.values():
            t.add_row(q.name, ", ".join(f"--param {p}=…" for p in query_params(q.sql)), q.summary)
        console.print(t)
        return
    if not name:
        _fail("name a query, or use --list to see them")
    if name not in queries:
        close = [q for q in queries if name.lower() in q or q in name.lower()]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        _fail(f"no named query {name!r}{hint}; `survwatch query --list` shows them")
    q = queries[name]
    params = _parse_params(param)
    needed = query_params(q.sql)
    missing = [p for p in needed if p not in params]
    unknown = [p for p in params if p not in needed]
    if missing:
        _fail(f"query {name} needs {' '.join(f'--param {p}=…' for p in missing)}")
    if unknown:
        _fail(f"query {name} takes no parameter {', '.join(unknown)}"
              + (f" (it takes {', '.join(needed)})" if needed else ""))
    target = _output_target(csv, json_, parquet)
    con = _open_read_only(db)
    try:
        if target:
            n = _write_file(con, q.sql, params, *target)
            console.print(f"wrote {n} rows to {target[1]}")
        else:
            _print_result(_run(con, q.sql, params or None, f"query {name} failed"), limit, title=q.summary)
    finally:
        con.close()


def reference_load(file: Annotated[Path, typer.Argument(help="CSV: place,metric,period,value,unit,source_url[,note]")],
                   db: DbOpt = None) -> None:
    """Load reference statistics from a CSV file (upsert by place, metric, period, unit)."""
    import warehouse
    from warehouse.reference import ReferenceError, load_reference_csv, read_reference_csv

    s = _settings(db=db)
    try:
        read_reference_csv(file)  # validate before touching the warehouse
        con = warehouse.open_for_writing(s.db)
    except (ReferenceError, warehouse.WarehouseError) as exc:
        _fail(str(exc))
    try:
        counts = load_reference_csv(con, file)
    except ReferenceError as exc:
        con.close()
        _fail(str(exc))
    con.close()
    warehouse.publish(s.db)
    console.print(f"loaded {counts['rows']} reference rows from {file} into {s.db} "
                  f"({counts['inserted']} new, {counts['updated']} replaced)")


def search_cmd(words: Annotated[str, typer.Argument(help="Keywords, e.g. \"facial recognition Quito\".")],
               limit: Annotated[int, typer.Option("--limit", min=1, help="Results to show.")] = 20,
               as_json: Annotated[bool, typer.Option("--json", help="Print results as JSON.")] = False,
               db: DbOpt = None) -> None:
    """Keyword search over stored articles, ranked by BM25 (title words weigh more)."""
    import duckdb

    from warehouse.search import search

    con = _open_read_only(db)
    try:
        results = search(con, words, limit=limit)
    except duckdb.CatalogException:
        _fail("this warehouse has no search index yet: run `survwatch run` once with this version to upgrade it")
    finally:
        con.close()
    if as_json:
        sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
        return
    if not results:
        console.print(f"no articles match {words!r}")
        return
    t = Table(title=f"search: {words}")
    for col, kw in (("score", {"justify": "right"}), ("title", {}), ("outlet", {}), ("snippet", {}), ("url", {})):
        t.add_column(col, overflow="fold", **kw)
    for r in results:
        t.add_row(f"{r['score']:.2f}", r["title"] or "", r["outlet"] or "", r["snippet"], r["url"])
    console.print(t)


def schema_cmd(write: Annotated[bool, typer.Option("--write", help="Regenerate warehouse/SCHEMA.md.")] = False,
               check: Annotated[bool, typer.Option("--check", help="Exit 1 if warehouse/SCHEMA.md is stale.")] = False) -> None:
    """Print the warehouse schema (tables, views, columns, macros) as Markdown from its COMMENT ONs."""
    from warehouse.schema_doc import SCHEMA_PATH, generate

    text = generate()
    if check:
        current = SCHEMA_PATH.read_text(encoding="utf-8") if SCHEMA_PATH.exists() else ""
        if current != text:
            _fail(f"{SCHEMA_PATH} is stale: run `survwatch schema --write`")
        console.print(f"{SCHEMA_PATH} is up to date")
        return
    if write:
        SCHEMA_PATH.write_text(text, encoding="utf-8")
        console.print(f"wrote {SCHEMA_PATH}")
        return
    sys.stdout.write(text)


def register(app: typer.Typer) -> None:
    """Add the analyst commands to the main app."""
    app.command("sql")(sql_cmd)
    app.command("query")(query_cmd)
    app.command("search")(search_cmd)
    app.command("schema")(schema_cmd)
    reference_app.command("load")(reference_load)
    app.add_typer(reference_app, name="reference")
