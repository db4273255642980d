"""Every conversation lands in the database through Rasa's SQL tracker store, and a
database that fails is detected and reported instead of silently losing conversations."""

import pytest
import requests

from protheus.common.settings import Ports, tracker_status_file
from protheus.common.store_status import read_status
from protheus.db.conversations import ConversationFilter, ConversationStore
from protheus.db.database import Database
from protheus.supervisor.processes import (
    port_in_use,
    start_action_server,
    start_rasa_server,
    start_web_server,
    wait_until_ready,
)
from tests.server_fixture import TEST_PORTS, served_model

pytestmark = pytest.mark.server
BROKEN_PORTS = Ports(rasa=16005, actions=16055, web=18081, host="127.0.0.1")
UNREACHABLE_DB = "postgresql://postgres@127.0.0.1:1/sin_servidor"


def test_conversations_are_stored_and_listed(bot, sender):
    bot.replies(sender, "buenas, necesito la capacitación del módulo de compras")
    index = ConversationStore(Database(bot.env["DATABASE_URL"]))
    index.sync()
    rows, total = index.page(ConversationFilter(text="capacitacion del modulo"))
    assert sender in [row.sender_id for row in rows]
    row = next(r for r in rows if r.sender_id == sender)
    assert row.channel == "rest" and row.turns == 1 and row.intents
    assert read_status(tracker_status_file(TEST_PORTS.rasa))["estado"] == "ok"


@pytest.fixture(scope="module")
def broken_bot():
    """The real servers on a database that does not answer."""
    busy = [p for p in (BROKEN_PORTS.rasa, BROKEN_PORTS.actions, BROKEN_PORTS.web) if port_in_use(p)]
    if busy:
        pytest.fail(f"Puertos de prueba ocupados: {busy}")
    env = {"DATABASE_URL": UNREACHABLE_DB, "RASA_TOKEN": "token-de-prueba"}
    services = [
        start_action_server(BROKEN_PORTS, env),
        start_rasa_server(served_model(), "token-de-prueba", BROKEN_PORTS, env),
        start_web_server(BROKEN_PORTS, env),
    ]
    try:
        wait_until_ready(services, timeout=180)
        yield services
    finally:
        for service in reversed(services):
            service.stop()


def test_failing_database_is_reported_not_silent(broken_bot):
    rasa = broken_bot[1]
    reply = requests.post(
        f"http://127.0.0.1:{BROKEN_PORTS.rasa}/webhooks/rest/webhook",
        json={"sender": "cliente-sin-base", "message": "¿en qué horario atienden?"},
        timeout=60,
    )
    # The customer is still answered (Rasa keeps the turn in memory) ...
    assert reply.status_code == 200 and any("Lunes a viernes" in m.get("text", "") for m in reply.json())
    # ... but the loss is on record: the status file, a loud log line, and /salud.
    status = read_status(tracker_status_file(BROKEN_PORTS.rasa))
    assert status["estado"] == "fallo" and status["fallos"] >= 1
    assert "CONVERSACIONES SIN GUARDAR" in rasa.log.read_text(encoding="utf-8")
    health = requests.get(f"http://127.0.0.1:{BROKEN_PORTS.web}/salud", timeout=30)
    assert health.status_code == 503
    body = health.json()
    assert body["conversaciones_guardadas"] is False and body["base_de_datos"] is False
    assert any("no se están guardando" in warning for warning in body["avisos"])
