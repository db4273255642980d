"""Rasa's SQL tracker store, watched: failures to store a conversation are recorded and logged."""

import asyncio
import json
import logging

import pytest
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, text

from protheus.common.settings import TRACKER_STATUS_ENV
from protheus.common.store_status import read_status
from protheus.rasa_server.tracker_store import ObservedSQLTrackerStore

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
    caplog.set_level(logging.CRITICAL, logger="protheus.rasa_server.tracker_store")
    store = ObservedSQLTrackerStore(domain=Domain.empty(), host=UNREACHABLE)
    status = read_status(status_file)
    assert status["estado"] == "fallo" and "OperationalError" in status["ultimo_error"]
    assert any("CONVERSACIONES SIN GUARDAR" in r.getMessage() for r in caplog.records)

    # Inside Rasa's wrapper the conversation goes on: the store holds it and gives it back.
    failsafe = FailSafeTrackerStore(store)
    asyncio.run(failsafe.save(tracker("cliente-2")))
    assert asyncio.run(failsafe.retrieve("cliente-2")).events[-1].text == "hola"
    assert read_status(status_file)["fallos"] == 2 and read_status(status_file)["retenidas"] == 1


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


class Outage:
    """The database stops answering Rasa's SQL store (every read and write), then comes back."""

    def __init__(self, monkeypatch) -> None:
        from contextlib import contextmanager

        from rasa.core.tracker_store import SQLTrackerStore
        from sqlalchemy.exc import OperationalError

        self.down = False
        session_scope = SQLTrackerStore.session_scope

        @contextmanager
        def failing_scope(store):
            if self.down:
                raise OperationalError("SELECT", {}, Exception("server closed the connection"))
            with session_scope(store) as session:
                yield session

        monkeypatch.setattr(SQLTrackerStore, "session_scope", failing_scope)


def test_through_an_outage_the_conversation_goes_on_and_every_turn_is_written_after(tmp_path, status_file, monkeypatch):
    url = f"sqlite:///{tmp_path / 'rasa.db'}"
    store = ObservedSQLTrackerStore(domain=Domain.empty(), host=url)
    outage = Outage(monkeypatch)

    def turn(sender: str, text: str) -> None:
        current = asyncio.run(store.retrieve(sender)) or DialogueStateTracker(sender, slots=[])
        current.update(UserUttered(text))
        asyncio.run(store.save(current))

    turn("cliente-1", "necesito que capaciten a mis usuarios en compras")  # before the outage
    outage.down = True
    turn("cliente-1", "sí, acepto")
    turn("cliente-1", "STD01")
    turn("cliente-2", "hola")  # a conversation that started during the outage
    held = read_status(status_file)
    assert held["estado"] == "fallo" and held["retenidas"] == 2
    seen = [e.text for e in asyncio.run(store.retrieve("cliente-1")).events if isinstance(e, UserUttered)]
    assert seen == ["necesito que capaciten a mis usuarios en compras", "sí, acepto", "STD01"]  # context kept

    outage.down = False
    turn("cliente-3", "¿qué es el soporte prime?")  # answered at once: the held ones are written outside the turn
    assert read_status(status_file)["retenidas"] == 2
    asyncio.run(store.write_back())  # what the retry loop does
    after = read_status(status_file)
    assert after["estado"] == "ok" and after["retenidas"] == 0 and after["escritas"] == 2
    assert after["turnos_escritos"] == 3 and after["turnos_retenidos"] == 0
    with create_engine(url).connect() as connection:
        rows = connection.execute(text("SELECT sender_id, data FROM events WHERE type_name = 'user' ORDER BY id"))
        stored = [(sender, json.loads(data)["text"]) for sender, data in rows]
    assert [line for sender, line in stored if sender == "cliente-1"] == [
        "necesito que capaciten a mis usuarios en compras",
        "sí, acepto",
        "STD01",
    ]
    assert sorted(stored) == sorted(
        [
            ("cliente-1", "necesito que capaciten a mis usuarios en compras"),
            ("cliente-1", "sí, acepto"),
            ("cliente-1", "STD01"),
            ("cliente-2", "hola"),
            ("cliente-3", "¿qué es el soporte prime?"),
        ]
    )


def test_a_conversation_from_before_the_outage_is_continued_from_memory(tmp_path, status_file, monkeypatch):
    store = ObservedSQLTrackerStore(domain=Domain.empty(), host=f"sqlite:///{tmp_path / 'rasa.db'}")
    outage = Outage(monkeypatch)
    asyncio.run(store.save(tracker("cliente-1")))
    outage.down = True
    assert asyncio.run(store.retrieve("cliente-1")).events[-1].text == "hola"
    assert asyncio.run(store.retrieve("nadie")) is None


class _Broker:
    """Rasa's EventBroker interface, keeping what it is given."""

    def __init__(self) -> None:
        self.published: list[dict] = []

    def publish(self, event: dict) -> None:
        self.published.append(event)


def test_events_are_published_after_they_are_written_with_their_ids(tmp_path, status_file):
    from protheus.common.event_stream import STORE_ID_KEY

    url = f"sqlite:///{tmp_path / 'rasa.db'}"
    broker = _Broker()
    store = ObservedSQLTrackerStore(domain=Domain.empty(), host=url, event_broker=broker)
    conversation = tracker("cliente-3")
    asyncio.run(store.save(conversation))
    conversation.update(UserUttered("sigue el error"))
    asyncio.run(store.save(conversation))
    with create_engine(url).connect() as connection:
        stored = connection.execute(text("SELECT id, data FROM events WHERE sender_id = 'cliente-3' ORDER BY id")).all()
    assert [(e[STORE_ID_KEY], e["text"]) for e in broker.published] == [
        (event_id, json.loads(data)["text"]) for event_id, data in stored
    ]
    assert {e["sender_id"] for e in broker.published} == {"cliente-3"}


def test_events_held_through_an_outage_are_published_when_written(tmp_path, status_file, monkeypatch):
    from protheus.common.event_stream import STORE_ID_KEY

    url = f"sqlite:///{tmp_path / 'rasa.db'}"
    broker = _Broker()
    store = ObservedSQLTrackerStore(domain=Domain.empty(), host=url, event_broker=broker)
    outage = Outage(monkeypatch)
    outage.down = True
    asyncio.run(store.save(tracker("cliente-4")))
    assert broker.published == []  # nothing announced that is not in the database
    outage.down = False
    asyncio.run(store.save(tracker("cliente-5")))
    asyncio.run(store.write_back())
    assert [(e["sender_id"], isinstance(e[STORE_ID_KEY], int)) for e in broker.published] == [
        ("cliente-5", True),
        ("cliente-4", True),
    ]
