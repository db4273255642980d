"""Rasa's SQL tracker store, watched: failures to store a conversation are recorded and logged."""

import asyncio
import logging

import pytest
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

from protheus.settings import TRACKER_STATUS_ENV
from protheus.store_status import read_status
from protheus.tracker_store import ObservedSQLTrackerStore

UNREACHABLE = "postgresql://postgres@127.0.0.1:1/sin_servidor"


@pytest.fixture
def status_file(tmp_path, monkeypatch):
    path = tmp_path / "estado.json"
    monkeypatch.setenv(TRACKER_STATUS_ENV, str(path))
    return path


def tracker(sender: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender, [UserUttered("hola")])


def test_working_store_saves_and_reports_ok(tmp_path, status_file):
    url = f"sqlite:///{tmp_path / 'rasa.db'}"
    store = ObservedSQLTrackerStore(domain=Domain.empty(), host=url)
    asyncio.run(store.save(tracker("cliente-1")))
    with create_engine(url).connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM events WHERE sender_id = 'cliente-1'")).scalar() >= 1
    assert read_status(status_file)["estado"] == "ok"


def test_unreachable_database_is_recorded_and_logged_loudly(status_file, caplog):
    caplog.set_level(logging.CRITICAL, logger="protheus.tracker_store")
    store = ObservedSQLTrackerStore(domain=Domain.empty(), host=UNREACHABLE)
    status = read_status(status_file)
    assert status["estado"] == "fallo" and "OperationalError" in status["ultimo_error"]
    assert any("CONVERSACIONES SIN GUARDAR" in r.getMessage() for r in caplog.records)

    # Inside Rasa's wrapper the conversation goes on in memory, as before; now it is on record.
    failsafe = FailSafeTrackerStore(store)
    asyncio.run(failsafe.save(tracker("cliente-2")))
    assert asyncio.run(failsafe.fallback_tracker_store.retrieve("cliente-2")) is not None
    assert read_status(status_file)["fallos"] == 2


def test_recovery_is_recorded(tmp_path, status_file):
    url = f"sqlite:///{tmp_path / 'rasa.db'}"
    store = ObservedSQLTrackerStore(domain=Domain.empty(), host=url)
    store.status.failed("cliente-1", RuntimeError("caída simulada"))
    assert read_status(status_file)["estado"] == "fallo"
    asyncio.run(store.save(tracker("cliente-1")))
    status = read_status(status_file)
    assert status["estado"] == "ok" and status["fallos"] == 1  # the past failure stays visible


def test_conversations_from_the_real_store_reach_the_console_index(db, status_file):
    """Rasa's store and the console's index on the same database, SQLite and PostgreSQL."""
    from protheus.db.conversations import ConversationFilter, ConversationStore

    store = ObservedSQLTrackerStore(domain=Domain.empty(), host=db.url)
    conversation = DialogueStateTracker.from_events(
        "cliente-pg",
        [
            UserUttered(
                "no puedo timbrar la factura", {"name": "reportar_error", "confidence": 0.8}, input_channel="socketio"
            )
        ],
    )
    asyncio.run(store.save(conversation))
    store.engine.dispose()
    index = ConversationStore(db)
    index.sync()
    [row], total = index.page(ConversationFilter(text="timbrar"))
    assert total == 1 and row.sender_id == "cliente-pg" and row.channel == "socketio"
    assert row.intents == ["reportar_error"] and read_status(status_file)["estado"] == "ok"
