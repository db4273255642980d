"""What Rasa's channels refuse before a turn runs, and what they let a customer drive."""

import asyncio
import json
from types import SimpleNamespace

import pytest
from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.nlu.training_data.message import Message

from protheus.common import addresses, chat_sessions
from protheus.common.message_metadata import TRUSTED_PAYLOAD_KEY
from protheus.common.rate_counters import MemoryCounter
from protheus.rasa_server import channels
from protheus.rasa_server.payloads import offered_payloads
from protheus.rasa_server.rate_limit import MessageLimits
from tests.rasa_server.test_channels import RecordingSio

KEY = "clave-de-prueba-de-al-menos-32-bytes!"


@pytest.fixture(autouse=True)
def settings(monkeypatch):
    monkeypatch.setenv("CHAT_SESSION_KEY", KEY)
    monkeypatch.setenv("RASA_TOKEN", "token-de-la-api")
    monkeypatch.delenv("RASA_HOST", raising=False)
    channels._rasa_token.cache_clear()
    channels.message_limits.cache_clear()


def request(body, args=None, headers=None, ip="127.0.0.1"):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return SimpleNamespace(body=raw, args=args or {}, headers=headers or {}, ip=ip, ctx=SimpleNamespace())


def refused(body, **kwargs):
    answer = channels.check_rest_request(request(body, **kwargs))
    return (answer.status, json.loads(answer.body)[0]["text"]) if answer is not None else None


@pytest.mark.parametrize(
    "body",
    [
        b"\xff\xfe no es json",
        b"[1, 2]",
        {"sender": 5, "message": "hola"},
        {"sender": "c1", "message": None},
        {"sender": "", "message": "hola"},
        {"sender": "x" * 200, "message": "hola"},
        {"message": "hola"},
    ],
)
def test_malformed_webhook_bodies_get_a_spanish_400(body):
    status, text = refused(body)
    assert status == 400 and "formato esperado" in text


def test_too_long_metadata_gets_a_413_and_a_small_one_is_kept_without_the_channels_keys():
    status, text = refused({"sender": "c1", "message": "hola", "metadata": {"x": "y" * 5000}})
    assert status == 413 and "metadata" in text
    ok = request({"sender": "c1", "message": "hola", "metadata": {"pagina": "/", TRUSTED_PAYLOAD_KEY: True}})
    assert channels.check_rest_request(ok) is None
    metadata = channels.GuardedRestInput().get_metadata(ok)
    assert metadata == {"pagina": "/", "direccion": "127.0.0.1"}  # no trust claimed by the customer


def test_the_rasa_token_is_the_trusted_path():
    trusted = request({"sender": "c1", "message": "/saludo"}, args={"token": "token-de-la-api"})
    assert channels.check_rest_request(trusted) is None
    assert channels.GuardedRestInput().get_metadata(trusted)[TRUSTED_PAYLOAD_KEY] is True
    wrong = request({"sender": "c1", "message": "/saludo"}, args={"token": "otro"})
    channels.check_rest_request(wrong)
    assert TRUSTED_PAYLOAD_KEY not in (channels.GuardedRestInput().get_metadata(wrong) or {})


def test_beyond_loopback_the_webhook_needs_the_conversations_signed_session(monkeypatch):
    monkeypatch.setenv("RASA_HOST", "0.0.0.0")
    status, text = refused({"sender": "victima", "message": "hola"})
    assert status == 401 and "sesión de chat no es válida" in text
    other = chat_sessions.issue("atacante")
    assert refused({"sender": "victima", "message": "hola"}, headers={"Authorization": f"Bearer {other}"})[0] == 401
    own = request(
        {"sender": "victima", "message": "hola"},
        headers={"Authorization": "Bearer " + chat_sessions.issue("victima", "PRIME01")},
    )
    assert channels.check_rest_request(own) is None
    assert channels.GuardedRestInput().get_metadata(own)["cliente_firmado"] == "PRIME01"


def test_a_setting_requires_the_signed_session_whatever_rasa_host_says(monkeypatch):
    monkeypatch.delenv("RASA_HOST", raising=False)  # a container's Rasa listens everywhere anyway
    monkeypatch.setenv("REST_SESSION_REQUIRED", "sí")
    assert refused({"sender": "victima", "message": "hola"})[0] == 401
    monkeypatch.setenv("REST_SESSION_REQUIRED", "no")
    monkeypatch.setenv("RASA_HOST", "0.0.0.0")
    assert refused({"sender": "victima", "message": "hola"}) is None  # said «no»: not required


def test_on_loopback_a_signed_customer_counts_only_for_its_own_conversation():
    token = chat_sessions.issue("otra", "PRIME01")
    checked = request({"sender": "c1", "message": "hola"}, headers={"Authorization": f"Bearer {token}"})
    assert channels.check_rest_request(checked) is None
    assert "cliente_firmado" not in channels.GuardedRestInput().get_metadata(checked)


def test_over_the_rate_limit_a_429_in_spanish(monkeypatch):
    limits = MessageLimits(2, 100, MemoryCounter())
    monkeypatch.setattr(channels, "message_limits", lambda: limits)
    body = {"sender": "rapido", "message": "hola"}
    assert refused(body) is None and refused(body) is None
    answer = channels.check_rest_request(request(body))
    assert answer.status == 429 and answer.headers["Retry-After"] == "60"
    assert "demasiado rápido" in json.loads(answer.body)[0]["text"]


def test_the_balancers_real_ip_is_believed_only_from_a_trusted_proxy(monkeypatch):
    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    addresses._proxies.cache_clear()
    # Without a balancer, a loopback caller's header is its own word (issue 24: limits dodged so).
    assert addresses.client_address("127.0.0.1", "203.0.113.5") == "127.0.0.1"
    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.1 10.20.0.0/16")
    addresses._proxies.cache_clear()
    assert addresses.client_address("127.0.0.1", "203.0.113.5") == "203.0.113.5"  # make run's nginx
    assert addresses.client_address("10.20.3.4", "203.0.113.5") == "203.0.113.5"  # a deployment's network
    assert addresses.client_address("198.51.100.1", "203.0.113.5") == "198.51.100.1"
    assert addresses.client_address("unix-socket", "203.0.113.5") == "unix-socket"
    addresses._proxies.cache_clear()


def test_socketio_connections_need_a_token_and_an_allowed_origin(monkeypatch):
    token = chat_sessions.issue("conversacion-propia")
    page = {"HTTP_ORIGIN": "http://localhost:8080"}
    assert channels.connecting_session({**page, "QUERY_STRING": f"sesion={token}&EIO=4"}, None).session_id == (
        "conversacion-propia"
    )
    assert channels.connecting_session(page, {"token": token}) is not None
    assert channels.connecting_session(page, None) is None
    assert (
        channels.connecting_session({"HTTP_ORIGIN": "http://evil.example", "QUERY_STRING": f"sesion={token}"}, None)
        is None
    )
    monkeypatch.setenv("PUBLIC_URL", "https://soporte.example.com/chat")
    assert channels.connecting_session({"HTTP_ORIGIN": "https://soporte.example.com"}, {"token": token}) is not None


def test_only_the_buttons_of_the_bots_last_message_are_offered():
    events = [
        BotUttered("¿Sí o no?", data={"buttons": [{"title": "Sí", "payload": "/afirmar"}]}),
        UserUttered("sí"),
        BotUttered("¿Se refiere a…?", data={"buttons": [{"title": "A", "payload": "/info_prime"}, {"title": "x"}]}),
        BotUttered("o bien", data={"quick_replies": [{"title": "B", "payload": "/hablar_con_humano"}]}),
    ]
    assert offered_payloads(events) == {"/info_prime", "/hablar_con_humano"}


def test_rasa_unpacks_only_trusted_payloads():
    handler = RegexMessageHandler()
    plain = Message({"text": '/atencion_urgente{"codigo_cliente": "PRIME01"}', "metadata": {}})
    trusted = Message({"text": "/afirmar", "metadata": {TRUSTED_PAYLOAD_KEY: True}})
    plain_out, trusted_out = handler.process([plain, trusted])
    assert plain_out.get("intent") is None and plain_out.get("entities") is None
    assert trusted_out.get("intent")["name"] == "afirmar"


def test_links_in_what_the_web_chat_receives_go_only_to_http_and_mailto():
    sio = RecordingSio()
    output = channels.CustomJsonSocketIOOutput(sio, "bot_uttered")
    asyncio.run(output.send_text_message("s1", "[clic](javascript:alert(1)) o [portal](https://totvs.com)"))
    assert sio.emitted[0][1]["text"] == "clic o [portal](https://totvs.com)"


def test_socketio_messages_carry_what_the_channel_checked_and_nothing_forged(monkeypatch):
    monkeypatch.setenv("MAX_METADATA_CHARS", "100")
    channel = channels.GuardedSocketIOInput()
    session = chat_sessions.ChatSession("conversacion-1", "PRIME01")
    output = channels.CustomJsonSocketIOOutput(RecordingSio(), "bot_uttered")
    forged = {"metadata": {"cliente_firmado": "FAKEPRIME", TRUSTED_PAYLOAD_KEY: True, "pagina": "/"}}
    message = channel._user_message({"message": "hola", **forged}, session, "203.0.113.9", output)
    assert message.sender_id == "conversacion-1"
    assert message.metadata == {"pagina": "/", "direccion": "203.0.113.9", "cliente_firmado": "PRIME01"}
    too_long = channel._user_message({"message": "hola", "metadata": {"x": "y" * 500}}, session, None, output)
    assert isinstance(too_long, str) and "metadata" in too_long
    assert "formato esperado" in channel._user_message(["no", "es", "un objeto"], session, None, output)
    assert "formato esperado" in channel._user_message({"message": {"texto": 1}}, session, None, output)
