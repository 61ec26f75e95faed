"""survwatch warehouse: DuckDB schema, migrations, bulk writes and analyst SQL.

A plain library: it knows nothing of Prefect or of ``nlp``.
"""
from .db import (  # noqa: F401
    WarehouseError,
    connect,
    migrate,
    open_for_writing,
    open_read_only,
    publish,
    reopen_for_writing,
    work_path,
)
