"""The hardening of issue 13 against the real bot: what a crafted request or a second browser
can no longer do (REST and socket.io)."""

import asyncio
import uuid

import pytest
import requests
import socketio

from protheus.common import chat_sessions
from protheus.common.settings import max_request_bytes
from tests.e2e.test_handoff_rest import handoffs
from tests.server_fixture import TEST_PORTS

pytestmark = pytest.mark.server
PAGE_ORIGIN = f"http://localhost:{TEST_PORTS.web}"


def text_of(replies: list[dict]) -> str:
    return " ".join(r.get("text", "") for r in replies)


def test_a_slash_intent_with_entities_is_text_not_a_prime_handoff(bot, sender):
    replies = bot.replies(sender, '/atencion_urgente{"codigo_cliente":"PRIME01"}')
    assert handoffs(replies) == []
    # Read as a customer's words: an urgency; the code it names still has to be proved.
    slots = bot.tracker(sender)["slots"]
    assert slots["requested_slot"] == "verificacion_cliente" and slots["verificacion_cliente"] is None


def test_entities_outside_a_form_set_no_slot(bot, sender):
    bot.replies(sender, '/saludo{"codigo_cliente":"FAKEPRIME","email":"x@evil.example"}')
    bot.replies(sender, "mi código de cliente es FAKEPRIME y mi correo x@evil.example")
    slots = bot.tracker(sender)["slots"]
    assert slots["codigo_cliente"] is None and slots["email"] is None


def test_the_rasa_token_keeps_a_trusted_path_for_tests_and_tools(bot, sender):
    response = requests.post(
        f"{bot.base}/webhooks/rest/webhook",
        params={"token": bot.token},
        json={"sender": sender, "message": "/info_prime"},
        timeout=60,
    )
    assert "PRIME es un servicio de atención especializada" in text_of(response.json())
    assert bot.tracker(sender)["latest_message"]["intent"]["name"] == "info_prime"


def answer_until_done(bot, sender: str, answers: dict[str, str]) -> list[dict]:
    replies: list[dict] = []
    for _ in range(8):
        requested = bot.tracker(sender)["slots"].get("requested_slot")
        if requested is None:
            return replies
        replies = bot.replies(sender, answers[requested])
    pytest.fail("el formulario no terminó")


def test_a_prime_code_needs_the_facilitators_email(bot, sender):
    bot.replies(sender, "tengo una urgencia, el sistema está caído y no podemos facturar")
    assert bot.tracker(sender)["slots"]["requested_slot"] == "codigo_cliente"
    bot.replies(sender, "PRIME01")
    assert bot.tracker(sender)["slots"]["requested_slot"] == "verificacion_cliente"
    replies = answer_until_done(
        bot, sender, {"verificacion_cliente": "facilitador.prime@example.com", "modulo": "facturación"}
    )
    [payload] = handoffs(replies)
    assert payload["canal"] == "soporte_prime" and "verificado" in payload["resumen"]


def test_a_wrong_email_and_an_unknown_code_read_the_same_and_never_reach_prime(bot, sender):
    other = sender + "-b"
    for conversation, code in ((sender, "PRIME01"), (other, "NOEXISTE99")):
        bot.replies(conversation, "tengo una urgencia, el sistema está caído y no podemos facturar")
        bot.replies(conversation, code)
    wrong = text_of(bot.replies(sender, "alguien@evil.example"))
    unknown = text_of(bot.replies(other, "facilitador.prime@example.com"))
    assert wrong == unknown and "NOEXISTE99" not in unknown
    for _ in range(2):  # two more failures: the customer goes on unverified
        bot.replies(sender, "PRIME01")
        last = bot.replies(sender, "otro@evil.example")
    assert "sin verificar" in text_of(last)
    replies = answer_until_done(bot, sender, {"modulo": "facturación", "acepta_terminos_consultoria": "sí, acepto"})
    [payload] = handoffs(replies)
    assert payload["canal"] == "consultoria_remota" and "sin verificar" in payload["resumen"]


def test_oversized_body_and_metadata_are_refused_in_spanish(bot, sender):
    big = requests.post(
        f"{bot.base}/webhooks/rest/webhook",
        data=b'{"sender": "x", "message": "' + b"a" * (max_request_bytes() + 10) + b'"}',
        headers={"Content-Type": "application/json"},
        timeout=60,
    )
    assert big.status_code == 413 and "demasiado grande" in big.text
    metadata = {"relleno": "x" * 10_000}
    response = requests.post(
        f"{bot.base}/webhooks/rest/webhook",
        json={"sender": sender, "message": "hola", "metadata": metadata},
        timeout=60,
    )
    assert response.status_code == 413 and "metadata" in text_of(response.json())
    assert bot.tracker(sender)["events"] == [] or all(e.get("event") != "user" for e in bot.tracker(sender)["events"])
    broken = requests.post(f"{bot.base}/webhooks/rest/webhook", data=b"\xff{", timeout=60)
    assert broken.status_code == 400 and "formato esperado" in text_of(broken.json())


def test_one_conversation_flooding_gets_429(bot, sender):
    statuses = [bot.send(sender, "hola").status_code for _ in range(45)]
    assert statuses[:40] == [200] * 40 and statuses[-1] == 429
    assert "demasiado rápido" in text_of(bot.send(sender, "hola").json())
    assert bot.send(sender + "-otra", "hola").status_code == 200  # other conversations go on


async def _socket(origin: str | None = PAGE_ORIGIN, token: str | None = None):
    client = socketio.AsyncClient(reconnection=False)
    received: list = []
    confirmed: list = []
    client.on("bot_uttered", lambda data: received.append(data))
    client.on("session_confirm", lambda data: confirmed.append(data))
    headers = {"Origin": origin} if origin else {}
    await client.connect(
        f"http://127.0.0.1:{TEST_PORTS.rasa}",
        headers=headers,
        auth={"token": token} if token else None,
        transports=["polling"],
        wait_timeout=10,
    )
    return client, received, confirmed


async def _wait_for(items: list, timeout: float = 30) -> None:
    for _ in range(int(timeout * 10)):
        if items:
            return
        await asyncio.sleep(0.1)


def test_socketio_refuses_no_token_and_foreign_origins(bot):
    async def attempts():
        for origin, token in ((PAGE_ORIGIN, None), ("http://evil.example", chat_sessions.issue())):
            with pytest.raises(socketio.exceptions.ConnectionError):
                await _socket(origin, token)

    asyncio.run(attempts())


def test_a_browser_cannot_join_a_conversation_it_has_no_token_for(bot):
    victim_id = uuid.uuid4().hex

    async def scenario():
        victim, victim_got, _ = await _socket(token=chat_sessions.issue(victim_id))
        await victim.emit("session_request", {"session_id": victim_id})
        attacker, attacker_got, confirmed = await _socket(token=chat_sessions.issue())
        await attacker.emit("session_request", {"session_id": victim_id})
        await _wait_for(confirmed)
        assert confirmed and confirmed[0] != victim_id  # its own conversation, not the one asked for
        await attacker.emit("user_uttered", {"message": "¿en qué horario atienden?", "session_id": victim_id})
        await victim.emit("user_uttered", {"message": "¿qué es el soporte prime?", "session_id": victim_id})
        await _wait_for(victim_got)
        await asyncio.sleep(2)
        await victim.disconnect()
        await attacker.disconnect()
        return victim_got, attacker_got

    victim_got, attacker_got = asyncio.run(scenario())
    assert any("PRIME es un servicio" in (m.get("text") or "") for m in victim_got)
    assert not any("PRIME es un servicio" in (m.get("text") or "") for m in attacker_got)
    events = bot.tracker(victim_id)["events"]
    assert [e["text"] for e in events if e.get("event") == "user"] == ["¿qué es el soporte prime?"]


def test_a_code_signed_by_the_portal_is_never_asked(bot):
    session_id = uuid.uuid4().hex

    async def scenario():
        client, got, _ = await _socket(token=chat_sessions.issue(session_id, customer_code="PRIME01"))
        await client.emit("session_request", {"session_id": session_id})
        await client.emit("user_uttered", {"message": "tengo una urgencia, el sistema está caído", "session_id": ""})
        await _wait_for(got)
        await asyncio.sleep(3)
        await client.disconnect()

    asyncio.run(scenario())
    slots = bot.tracker(session_id)["slots"]
    assert slots["codigo_cliente"] == "PRIME01" and slots["verificacion_cliente"] == "portal"
    assert slots["requested_slot"] != "codigo_cliente"
