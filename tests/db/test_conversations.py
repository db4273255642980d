"""The conversation index and its filters, on SQLite and PostgreSQL, from real Rasa events."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from protheus.common.text import MASK_VERSION
from protheus.db import prepare
from protheus.db.conversations import ConversationFilter, ConversationStore
from protheus.db.handoffs import HandoffStore
from protheus.db.models import CustomerMessage
from tests.events import HOSTILE, ConversationPaused, SlotSet, action, bot, fallback, session_start, store, user

TZ = "America/Mexico_City"
NOV_20 = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo(TZ)).timestamp()
NOV_25 = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo(TZ)).timestamp()


@pytest.fixture
def conversations(db) -> ConversationStore:
    store(
        db,
        "web-1",
        session_start()
        + [
            user(
                "Al grabar el pedido en facturación sale un error",
                "reportar_error",
                0.93,
                runners=[("atencion_urgente", 0.04)],
            ),
            action("formulario_error"),
            SlotSet("codigo_cliente", "STD01"),
            bot("Registré su solicitud"),
        ],
        NOV_20,
    )
    store(
        db,
        "rest-1",
        session_start()
        + [
            user("hola", "saludo", 0.99, channel="rest"),
            fallback("eso de la cosa", "info_prime", 0.31, channel="rest"),
            action("action_preparar_aclaracion"),
            user("/info_prime", "info_prime", 1.0, channel="rest"),
        ],
        NOV_25,
    )
    store(
        db,
        "web-2",
        session_start()
        + [user(text, "fuera_de_dominio", 0.55) for text in HOSTILE]
        + [user("quiero hablar con una persona", "hablar_con_humano", 0.97), ConversationPaused()],
        NOV_25 + 60,
    )
    HandoffStore(db).create(
        sender_id="web-1", channel="soporte_estandar", intent="reportar_error", slots={}, summary="x"
    )
    index = ConversationStore(db)
    index.sync()
    return index


def senders(index: ConversationStore, **filters) -> list[str]:
    rows, total = index.page(ConversationFilter(timezone=TZ, **filters))
    assert total == len(rows)
    return [row.sender_id for row in rows]


def test_one_row_per_conversation_newest_first(conversations):
    rows, total = conversations.page(ConversationFilter(timezone=TZ))
    assert total == 3 and [r.sender_id for r in rows] == ["web-2", "rest-1", "web-1"]
    web1 = rows[2]
    assert web1.channel == "socketio" and web1.customer_code == "STD01" and web1.turns == 1
    assert web1.intents == ["reportar_error"] and web1.min_confidence == pytest.approx(0.93)
    assert web1.handoffs == [{"id": web1.handoffs[0]["id"], "canal": "soporte_estandar", "estado": "abierto"}]
    assert web1.first_message == "Al grabar el pedido en facturación sale un error"


def test_fallback_counts_the_classifiers_real_confidence(conversations):
    rest = next(r for r in conversations.page(ConversationFilter(timezone=TZ))[0] if r.sender_id == "rest-1")
    assert rest.had_fallback and rest.min_confidence == pytest.approx(0.31)
    assert rest.turns == 3  # the button payload counts as a turn, not as a message to search


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"intent": "reportar_error"}, ["web-1"]),
        ({"channel": "rest"}, ["rest-1"]),
        ({"confidence_below": 0.6}, ["web-2", "rest-1"]),
        ({"fallback_only": True}, ["rest-1"]),
        ({"date_from": date(2026, 11, 21)}, ["web-2", "rest-1"]),
        ({"date_to": date(2026, 11, 20)}, ["web-1"]),
        ({"date_from": date(2026, 11, 21), "date_to": date(2026, 11, 24)}, []),
        ({"text": "FACTURACION"}, ["web-1"]),  # case and accents do not matter
        ({"text": "<script>"}, ["web-2"]),
        ({"text": "%"}, []),  # LIKE wildcards are searched literally
        ({"text": "std01"}, ["web-1"]),  # a customer code
        ({"text": "rest-1"}, ["rest-1"]),  # a conversation id
        ({"channel": "socketio", "intent": "hablar_con_humano"}, ["web-2"]),
    ],
)
def test_filters(conversations, filters, expected):
    assert senders(conversations, **filters) == expected


def test_pages(conversations):
    first, total = conversations.page(ConversationFilter(timezone=TZ), page=1, per_page=2)
    second, _ = conversations.page(ConversationFilter(timezone=TZ), page=2, per_page=2)
    assert total == 3 and len(first) == 2 and len(second) == 1
    assert {r.sender_id for r in first} | {r.sender_id for r in second} == {"web-1", "web-2", "rest-1"}


def test_sync_is_incremental(db, conversations):
    assert conversations.sync() == 0
    store(db, "web-1", [user("sigue sin funcionar el pedido", "reportar_error", 0.42)], NOV_25 + 600)
    assert conversations.sync() == 1
    web1 = next(r for r in conversations.page(ConversationFilter(timezone=TZ))[0] if r.sender_id == "web-1")
    assert web1.turns == 2 and web1.min_confidence == pytest.approx(0.42)
    assert web1.intents == ["reportar_error"]


def test_flags_only_customer_messages_once(db, conversations):
    events = conversations.events("web-2")
    hostile = next(e for e in events if e.get("event") == "user")
    bot_line = next(e for e in conversations.events("web-1") if e.get("event") == "bot")
    assert conversations.flag(hostile["_id"], "ana", "revisar")
    assert conversations.flag(hostile["_id"], "pedro")  # a second flag keeps the first
    assert not conversations.flag(bot_line["_id"], "ana")
    assert not conversations.flag(999_999, "ana")
    [flag] = conversations.flags()
    assert flag["flagged_by"] == "ana" and flag["text"] == HOSTILE[0] and flag["intent"] == "fuera_de_dominio"
    assert conversations.flagged_event_ids("web-2") == {hostile["_id"]}


def test_either_feed_gives_each_event_once(db, conversations):
    """The stream (broker) and the events table feed the same index: repeats are skipped."""
    store(db, "web-1", [user("sigue sin funcionar el pedido", "reportar_error", 0.42)], NOV_25 + 600)
    event_ids = [e["_id"] for e in conversations.events("web-1")]
    assert conversations.catch_up(["web-1"]) == 1  # the new event, named by the stream
    assert conversations.catch_up(["web-1", "web-1"]) == 0  # named again: taken already
    assert conversations.sync() == 1  # the table feed reads it but does not count it again
    web1 = next(r for r in conversations.page(ConversationFilter(timezone=TZ))[0] if r.sender_id == "web-1")
    assert web1.turns == 2 and web1.min_confidence == pytest.approx(0.42)
    texts = [m.text for m in conversations.messages(event_ids).values()]
    assert texts.count("sigue sin funcionar el pedido") == 1


def test_stream_indexes_a_conversation_the_table_feed_never_read(db):
    index = ConversationStore(db)
    store(db, "stream-1", session_start() + [user("necesito una capacitación", "solicitar_capacitacion", 0.9)], NOV_25)
    assert index.catch_up(["stream-1"]) == len(index.events("stream-1"))
    [row], total = index.page(ConversationFilter(text="capacitación", timezone=TZ))
    assert total == 1 and row.sender_id == "stream-1" and row.intents == ["solicitar_capacitacion"]


def test_the_stream_feed_takes_a_conversations_rows_whatever_order_its_events_arrive_in(db):
    """Two replicas publish on two connections: the later turn's event may come first."""
    index = ConversationStore(db)
    store(db, "dos-replicas", session_start() + [user("primera línea", "saludo", 0.9)], NOV_25)
    store(db, "dos-replicas", [user("segunda línea", "reportar_error", 0.8)], NOV_25 + 60)
    assert index.catch_up(["dos-replicas"]) == 5  # named by the second turn's event: both turns taken
    assert index.catch_up(["dos-replicas"]) == 0  # the first turn's event, late: nothing new
    [row], _ = index.page(ConversationFilter(timezone=TZ))
    assert row.turns == 2 and row.intents == ["saludo", "reportar_error"]


WHATSAPP = "whatsapp:+5215512345678"
CONTACT = "escríbanme a juan.perez@empresa.com o al 55.8765.4321"


@pytest.fixture
def contact(db) -> ConversationStore:
    store(db, WHATSAPP, session_start() + [user(CONTACT, "contacto_soporte", 0.8)], NOV_25)
    index = ConversationStore(db)
    index.sync()
    return index


@pytest.mark.parametrize("probe", ["juan", "perez@", "juan.perez@empresa.com", "55.8", "8765.4321", WHATSAPP])
def test_a_reader_who_sees_contacts_masked_searches_only_what_they_see(contact, probe):
    """Issue 24, finding 3: trainers rebuilt a phone and an e-mail one character at a time."""
    assert senders(contact, text=probe) == [WHATSAPP]
    assert senders(contact, text=probe, masked=True) == []


def test_what_a_masked_reader_sees_can_be_searched(contact):
    for probe in ("j***@***.com", "*** *** 21", "escríbanme a"):
        assert senders(contact, text=probe, masked=True) == [WHATSAPP], probe


def test_masked_copies_missing_or_made_by_an_older_masking_are_redone(db, contact):
    with db.session() as session:
        session.execute(update(CustomerMessage).values(masked_search_text=CONTACT, masked_with=MASK_VERSION - 1))
    assert senders(contact, text="8765", masked=True) == [WHATSAPP]  # what an older masking let through
    assert contact.remask(batch=1) == 1 and contact.remask() == 0
    assert senders(contact, text="8765", masked=True) == []
    with db.session() as session:
        session.execute(update(CustomerMessage).values(masked_search_text=None, masked_with=None))
    assert senders(contact, text="j***", masked=True) == []  # none yet: nothing found rather than the real text
    prepare(db)  # at every start
    assert senders(contact, text="j***", masked=True) == [WHATSAPP]


def test_any_event_leads_to_its_conversation(contact):
    [row], _ = contact.page(ConversationFilter(timezone=TZ))
    assert contact.sender_of(row.last_event_id) == WHATSAPP and contact.sender_of(999_999) is None


CRAFTED_EVENTS = {
    # a REST body may carry any JSON as `input_channel`, and Rasa keeps it in the event
    "canal_lista": ({"channel": [["x", 1]]}, "hola", ("sqlite", "postgresql")),
    "canal_largo": ({"channel": "x" * 40}, "hola", ("postgresql",)),  # the column holds 32
    # a NUL passes the NLU, and Rasa stores it escaped in the event's JSON
    "texto_nul": ({}, "hola\x00 mundo", ("postgresql",)),
}


@pytest.mark.parametrize("case", sorted(CRAFTED_EVENTS))
def test_a_crafted_event_does_not_stop_the_index(db, case):
    """The indexer's INSERT failed, and every console page that refreshes the index answered 503
    (500 for the NUL) from then on, for every conversation."""
    options, text, failing_on = CRAFTED_EVENTS[case]
    if db.engine.dialect.name not in failing_on:
        pytest.skip("stored fine on this database")
    store(db, "raro", [user(text, "saludo", 0.99, **options)], NOV_25)
    store(db, "normal", [user("hola", "saludo", 0.99)], NOV_25 + 60)
    index = ConversationStore(db)
    index.sync()
    assert {row.sender_id for row in index.page(ConversationFilter(timezone=TZ))[0]} == {"raro", "normal"}
