"""A migrated Database on SQLite and on PostgreSQL (127.0.0.1:5432): tests using `db` run on both."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from protheus.db.database import Database

PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _postgres_database():
    """A throw-away PostgreSQL database; fails in CI and skips elsewhere when the server is absent."""
    try:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
        with admin.connect() as connection:
            name = f"protheus_test_{uuid.uuid4().hex[:10]}"
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - any connection problem means "no server"
        message = f"PostgreSQL no está disponible en {PG_ADMIN_URL}: {error.__class__.__name__}"
        if os.environ.get("CI"):
            pytest.fail(message + " (en CI es obligatorio)")
        pytest.skip(message)
    return admin, name, PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path) -> Database:
    if request.param == "sqlite":
        store = Database(f"sqlite:///{tmp_path / 'prueba.db'}")
        store.migrate()
        yield store
        store.engine.dispose()
        return
    admin, name, url = _postgres_database()
    store = Database(url)
    store.migrate()
    try:
        yield store
    finally:
        store.engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
