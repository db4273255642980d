"""The schema on SQLite and PostgreSQL: migrations create the tables, and may run again."""

from sqlalchemy import inspect

from protheus.db import prepare
from protheus.db.database import Database


def test_migration_creates_the_tables(db):
    tables = set(inspect(db.engine).get_table_names())
    assert {"customers", "handoffs", "alembic_version"} <= tables


def test_migrate_is_idempotent(db):
    db.migrate()
    assert "handoffs" in inspect(db.engine).get_table_names()


def test_prepare_loads_the_demo_customers_once(db):
    assert prepare(db) == 2 and prepare(db) == 0


def test_conversations_indexed_before_0004_keep_what_they_took(tmp_path):
    from sqlalchemy import insert, select

    from protheus.db.conversations import EVENTS, ConversationStore
    from protheus.db.models import Conversation

    db = Database(f"sqlite:///{tmp_path / 'antigua.db'}")
    db.migrate("0003")
    with db.engine.begin() as connection:
        for number in range(3):
            connection.execute(insert(EVENTS).values(sender_id="c1", type_name="bot", timestamp=number, data="{}"))
        connection.exec_driver_sql(
            "INSERT INTO conversations (sender_id, started_at, last_at, turns, had_fallback, intents) "
            "VALUES ('c1', 0, 1, 0, 0, '')"
        )
        connection.exec_driver_sql("INSERT INTO index_state (name, last_event_id) VALUES ('events', 2)")
    db.migrate()
    with db.session() as session:
        assert session.execute(select(Conversation.last_event_id)).scalar_one() == 2
    assert ConversationStore(db).sync() == 1  # only the event the old index had not read
