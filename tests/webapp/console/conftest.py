"""Console HTTP tests: a status file, and stored conversations with hostile text, contact data and a hand-off."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from protheus.db.handoffs import HandoffStore
from tests.events import HOSTILE, ConversationPaused, action, bot, session_start, store, user
from tests.webapp.console.console_client import TZ, write_status

START = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo(TZ)).timestamp()


USERS = {"ana": "agente", "tere": "entrenador", "jefa": "admin"}


CONTACT = "escríbanme a juan.perez@empresa.com o al +52 55 1234 5678"


@pytest.fixture
def status_file(tmp_path):
    path = tmp_path / "tracker-store.json"
    write_status(path)
    return path


@pytest.fixture
def chats(db):
    store(
        db,
        "web-hostil",
        session_start() + [user(text, "fuera_de_dominio", 0.5) for text in HOSTILE] + [bot("<b>respuesta</b>")],
        START,
    )
    store(
        db,
        "web-contacto",
        session_start() + [user(CONTACT, "contacto_soporte", 0.8), user("no me sirve", "fuera_de_dominio", 0.3)],
        START + 100,
    )
    store(
        db, "web-formula", session_start() + [user('=HYPERLINK("http://malo")', "fuera_de_dominio", 0.2)], START + 150
    )
    store(
        db,
        "web-agente",
        session_start()
        + [
            user("quiero hablar con una persona", "hablar_con_humano", 0.97),
            action("action_derivar"),
            ConversationPaused(),
        ],
        START + 200,
    )
    handoff, _ = HandoffStore(db).create(
        sender_id="web-agente",
        channel="agente_humano",
        intent="hablar_con_humano",
        slots={},
        summary="Hablar con un agente",
    )
    return handoff
