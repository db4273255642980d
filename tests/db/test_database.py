"""The schema on SQLite and PostgreSQL: migrations create the tables, and may run again."""

from sqlalchemy import inspect

from protheus.db import prepare


def test_migration_creates_the_tables(db):
    tables = set(inspect(db.engine).get_table_names())
    assert {"customers", "handoffs", "alembic_version"} <= tables


def test_migrate_is_idempotent(db):
    db.migrate()
    assert "handoffs" in inspect(db.engine).get_table_names()


def test_prepare_loads_the_demo_customers_once(db):
    assert prepare(db) == 2 and prepare(db) == 0
