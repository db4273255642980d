"""What the database benchmarks share: a throw-away SQLite and, with --postgres, a throw-away
PostgreSQL database (127.0.0.1:5432), and the median of a few runs."""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator

from sqlalchemy import create_engine, text

from protheus.db.database import Database

POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def databases(postgres: bool) -> Iterator[tuple[str, Database]]:
    """(name, database) for SQLite, then PostgreSQL; each is dropped after its turn."""
    with tempfile.TemporaryDirectory() as folder:
        yield "SQLite", Database(f"sqlite:///{folder}/bench.db")
    if not postgres:
        return
    name = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database(POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}")
    try:
        yield "PostgreSQL", db
    finally:
        db.engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def median_ms(function: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)
