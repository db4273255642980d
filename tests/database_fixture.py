"""A migrated Database on SQLite and on PostgreSQL (127.0.0.1:5432): tests using `db` run on both."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator

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


@pytest.fixture(scope="session")
def _migrated(tmp_path_factory) -> Iterator[dict]:
    """Each database migrated once per run: the tests start from a copy (a SQLite file copied,
    a PostgreSQL database created from a template), not by running every migration again."""
    migrated: dict = {"folder": tmp_path_factory.mktemp("plantillas")}
    yield migrated
    if "postgresql" in migrated:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{migrated["postgresql"]}" WITH (FORCE)'))
        admin.dispose()


def _sqlite_copy(migrated: dict, path) -> Database:
    template = migrated["folder"] / "plantilla.db"
    if "sqlite" not in migrated:
        Database(f"sqlite:///{template}").migrate()
        migrated["sqlite"] = template
    shutil.copyfile(template, path)
    return Database(f"sqlite:///{path}")


def _postgres_copy(migrated: dict):
    if "postgresql" not in migrated:
        first_admin, name, url = _postgres_database()
        first_admin.dispose()
        template = Database(url)
        template.migrate()
        template.engine.dispose()  # a template must have no connections
        migrated["postgresql"] = name
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", future=True)
    name = f"protheus_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{migrated["postgresql"]}"'))
    return admin, name, PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path, _migrated) -> Database:
    if request.param == "sqlite":
        store = _sqlite_copy(_migrated, tmp_path / "prueba.db")
        yield store
        store.engine.dispose()
        return
    admin, name, url = _postgres_copy(_migrated)
    store = Database(url)
    try:
        yield store
    finally:
        store.engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
