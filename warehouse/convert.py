"""Bring a warehouse written by DuckDB 2 back to the DuckDB survwatch pins (1.5.5; docs/lake.md).

DuckDB 1.5 cannot open a file written by DuckDB 2, and DuckDB 2's EXPORT DATABASE schema does not import
as is (views before the views they use). So only the *data* crosses: DuckDB 2 exports it, survwatch creates
a fresh warehouse with its own migrations and views and loads every table into it::

    duckdb OLD.duckdb -c "EXPORT DATABASE 'OLD.export' (FORMAT parquet)"     # with DuckDB 2
    python -m warehouse.convert OLD.export NEW.duckdb                       # with survwatch
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from . import db

_COPY = re.compile(r"^COPY\s+(?:\"?(\w+)\"?\.)?\"?(\w+)\"?\s+FROM\s", re.I | re.M)


def import_export(export_dir: Path | str, new_path: Path | str) -> dict[str, int]:
    """Load the tables of ``EXPORT DATABASE`` output into a new warehouse file; return rows per table."""
    export_dir, new_path = Path(export_dir), Path(new_path)
    load = export_dir / "load.sql"
    if not load.exists():
        raise db.WarehouseError(f"{export_dir} has no load.sql: is it the folder EXPORT DATABASE wrote?")
    if new_path.exists():
        raise db.WarehouseError(f"{new_path} exists already: give a new file name")
    sql = load.read_text(encoding="utf-8")
    tables = [m.group(2) for m in _COPY.finditer(sql)]
    con = db.connect(new_path)
    try:
        db.migrate(con)
        con.execute("BEGIN TRANSACTION")
        for table in tables:  # the fresh warehouse's seed rows (metric_families …) come back from the export
            con.execute(f'DELETE FROM "{table}"')
        con.execute(sql)
        con.execute("COMMIT")
        version = db.current_version(con)
        if version != db.latest_version():
            db.migrate(con)  # an older export: bring it forward
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    try:
        rows = import_export(argv[0], argv[1])
    except db.WarehouseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{argv[1]}: " + ", ".join(f"{t} {n}" for t, n in rows.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
