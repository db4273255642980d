"""Triage and hand-off through the real REST webhook, answering the forms as an outside
client would: by reading `requested_slot` from the tracker."""

import pytest
import requests

from protheus.db.accounts import AccountStore
from protheus.db.database import Database
from protheus.db.handoffs import HandoffStore
from protheus.db.presence import PresenceStore
from protheus.supervisor.processes import start_action_server, wait_until_ready
from tests.server_fixture import TEST_PORTS

pytestmark = pytest.mark.server

ANSWERS = {
    "modulo": "facturación",
    "descripcion_error": "al grabar el pedido aparece error.log variable does not exist",
    "codigo_cliente": "STD01",
    "verificacion_cliente": "facilitador.std@example.com",  # PRODUCT.md's demo value
}


def handoffs(replies: list[dict]) -> list[dict]:
    return [r["custom"]["handoff"] for r in replies if isinstance(r.get("custom"), dict) and "handoff" in r["custom"]]


def converse(bot, sender: str, first: str, yes_no: dict[str, str]) -> list[dict]:
    """Send `first`, then answer whatever slot the bot requests until it stops asking."""
    replies = bot.replies(sender, first)
    for _ in range(10):
        requested = bot.tracker(sender)["slots"].get("requested_slot")
        if requested is None:
            return replies
        replies = bot.replies(sender, yes_no.get(requested) or ANSWERS[requested])
    pytest.fail("el formulario no terminó")


def test_reproducible_error_is_registered_for_standard_support(bot, sender):
    replies = converse(
        bot,
        sender,
        "al grabar el pedido de venta en el MATA410 me sale un error.log",
        {"reproduce_en_estandar": "sí", "solo_registros_especificos": "no"},
    )
    [payload] = handoffs(replies)
    assert payload["canal"] == "soporte_estandar" and payload["intent"] == "reportar_error"
    text = " ".join(r.get("text", "") for r in replies)
    assert payload["id"] in text
    row = HandoffStore(Database(bot.env["DATABASE_URL"])).get(payload["id"])
    assert row.channel == "soporte_estandar" and row.slots["modulo"] == "MATA410"
    assert row.slots["codigo_cliente"] == "STD01" and row.slots["verificacion_cliente"] == "verificado"


def test_not_reproducible_error_needs_the_terms_then_goes_to_consulting(bot, sender):
    replies = converse(
        bot,
        sender,
        "tengo un error al timbrar facturas en facturación, sale rechazo del PAC",
        {
            "reproduce_en_estandar": "no",
            "solo_registros_especificos": "no",
            "acepta_terminos_consultoria": "sí, acepto",
        },
    )
    [payload] = handoffs(replies)
    assert payload["canal"] == "consultoria_remota"


def test_refused_terms_register_nothing(bot, sender):
    replies = converse(
        bot,
        sender,
        "necesito que capaciten a mis usuarios en el módulo de compras",
        {"acepta_terminos_consultoria": "no"},
    )
    assert handoffs(replies) == []
    assert "no registré ninguna solicitud" in " ".join(r.get("text", "") for r in replies)
    assert HandoffStore(Database(bot.env["DATABASE_URL"])).of_conversation(sender) == []


def test_terms_question_quotes_the_billing_term(bot, sender):
    replies = bot.replies(sender, "quiero contratar una consultoría remota para revisar mi ambiente")
    text = " ".join(r.get("text", "") for r in replies)
    assert "será 100% facturado de acuerdo con el alcance" in text
    assert bot.tracker(sender)["slots"]["requested_slot"] == "acepta_terminos_consultoria"


def test_customer_can_cancel_the_form(bot, sender):
    bot.replies(sender, "me sale un error al grabar la factura de compra")
    assert bot.tracker(sender)["slots"]["requested_slot"] is not None
    replies = bot.replies(sender, "cancelar")
    assert "no registré nada" in " ".join(r.get("text", "") for r in replies)
    tracker = bot.tracker(sender)
    assert tracker["active_loop"] in ({}, None) or not tracker["active_loop"].get("name")


def presence(bot) -> PresenceStore:
    return PresenceStore(Database(bot.env["DATABASE_URL"]), idle_seconds=900)


def agent_account(bot, username: str) -> None:
    """Only an active account that takes hand-offs counts as «disponible»."""
    accounts = AccountStore(Database(bot.env["DATABASE_URL"]))
    if all(user.username != username for user in accounts.users()):
        accounts.create_user(username, "agente", "una-clave-larga-del-agente")


def test_live_agent_handoff_pauses_the_bot_when_an_agent_is_available(bot, sender):
    agent_account(bot, "ana")
    presence(bot).set_available("ana", True)
    try:
        [payload] = handoffs(bot.replies(sender, "quiero hablar con un agente"))
    finally:
        presence(bot).leave("ana")
    assert payload["canal"] == "agente_humano"
    assert bot.replies(sender, "hola, ¿sigue ahí?") == []  # paused until an agent releases it
    assert bot.tracker(sender)["paused"] is True
    released = requests.post(
        f"{bot.base}/conversations/{sender}/tracker/events",
        params={"token": bot.token},
        json={"event": "resume"},
        timeout=30,
    )
    assert released.status_code == 200
    assert "Lunes a viernes 8am-6pm" in " ".join(
        r.get("text", "") for r in bot.replies(sender, "¿en qué horario atienden?")
    )


def test_with_no_agent_available_the_bot_explains_offers_the_queue_and_keeps_answering(bot, sender):
    for agent in presence(bot).available_agents():  # other tests' agents (the fuzz's admin too)
        presence(bot).leave(agent)
    replies = bot.replies(sender, "quiero hablar con un agente")
    said = " ".join(r.get("text", "") for r in replies)
    assert "no hay agentes de Soporte disponibles" in said and not handoffs(replies)
    buttons = [b for r in replies for b in r.get("buttons", [])]
    queue = next(b["payload"] for b in buttons if b.get("payload", "").startswith("/hablar_con_humano"))
    assert any(b.get("type") == "web_url" for b in buttons)  # the Portal
    assert bot.tracker(sender)["paused"] is False
    queued = bot.replies(sender, queue)  # the button (offered in the last message): leave it queued
    [payload] = handoffs(queued)
    assert payload["canal"] == "agente_humano" and "quedó en la cola" in " ".join(r.get("text", "") for r in queued)
    store = HandoffStore(Database(bot.env["DATABASE_URL"]))
    assert store.get(payload["id"]).status == "abierto" and bot.tracker(sender)["paused"] is False
    assert "Lunes a viernes 8am-6pm" in " ".join(  # the bot keeps answering
        r.get("text", "") for r in bot.replies(sender, "¿en qué horario atienden?")
    )


def test_externo_intent_is_registered_as_externo(bot, sender):
    [payload] = handoffs(bot.replies(sender, "necesito un query que me traiga las ventas por vendedor"))
    assert (payload["canal"], payload["intent"]) == ("externo", "consulta_sql")


def test_same_message_twice_gives_one_handoff(bot, sender):
    first = handoffs(bot.replies(sender, "¿para qué sirve el parámetro MV_ESTNEG?"))
    second = handoffs(bot.replies(sender, "¿para qué sirve el parámetro MV_ESTNEG?"))
    assert first[0]["id"] == second[0]["id"]
    assert len(HandoffStore(Database(bot.env["DATABASE_URL"])).of_conversation(sender)) == 1


def test_action_server_down_is_never_silent(bot, sender):
    bot.replies(sender, "hola")
    index = bot.service_index("actions")
    bot.services[index].stop()
    try:
        replies = bot.replies(sender, "se borraron las facturas de marzo, ¿pueden recuperarlas?")
        text = " ".join(r.get("text", "") for r in replies)
        assert "Recuperación de información y movimientos" in text  # the guideline still answers
        assert "uno de nuestros servicios no responde" in text and "no quedó registrada" in text
        assert handoffs(replies) == []
        # A conversation that starts while the action server is down is not silent either.
        first = bot.replies(sender + "-nuevo", "necesito un query que me traiga las ventas por vendedor")
        assert "uno de nuestros servicios no responde" in " ".join(r.get("text", "") for r in first)
    finally:
        bot.services[index] = start_action_server(TEST_PORTS, bot.env)
        wait_until_ready([bot.services[index]], timeout=120)


def test_a_whole_pasted_error_log_fills_the_form_and_reaches_the_agent(bot, sender):
    frame = "Called from A410GRAVA(MATA410.PRW) 12/03/2024 10:22:13 line : {n}\n"
    log = (
        "no puedo grabar ningún pedido, me sale esto:\n"
        "THREAD ERROR ([4412], jlopez, SRV01)   12/03/2024   10:22:13\n"
        "variable does not exist C5_XTIPO on MATA410(MATA410.PRW) 12/03/2024 line : 2345\n"
        + "".join(frame.format(n=n) for n in range(120))
    )
    assert len(log) > 6000  # three times the limit for text that is not a log
    bot.replies(sender, log)
    slots = bot.tracker(sender)["slots"]
    assert slots["modulo"] == "SIGAFAT" and slots["descripcion_error"].startswith("no puedo grabar")
    assert slots["requested_slot"] == "reproduce_en_estandar"
    replies = converse(bot, sender, "sí", {"reproduce_en_estandar": "sí", "solo_registros_especificos": "no"})
    [handoff] = handoffs(replies)
    assert handoff["canal"] == "soporte_estandar"
    read = "[log] error: variable does not exist C5_XTIPO; tipo: error de ejecución; rutina: MATA410"
    assert read in handoff["resumen"]


def test_a_hung_action_server_is_answered_within_seconds(bot, sender):
    """Alive but not answering (SIGSTOP): Rasa's own limit is 300 s; ACTION_TIMEOUT is 5 s."""
    import os
    import signal
    import time

    actions = bot.services[bot.service_index("actions")].process
    os.killpg(actions.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        replies = bot.replies(sender, "necesito un query que me traiga las ventas por vendedor")
        waited = time.monotonic() - started
        text = " ".join(r.get("text", "") for r in replies)
        assert "uno de nuestros servicios no responde" in text and "no quedó registrada" in text
        assert handoffs(replies) == [] and "sigo sin entender" not in text
        assert waited < 9, waited  # cut at 5 s; the turn's later actions do not wait again
    finally:
        os.killpg(actions.pid, signal.SIGCONT)
