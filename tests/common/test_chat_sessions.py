"""Signed chat sessions: a token names one conversation and, from the portal, the customer."""

import time

import jwt
import pytest

from protheus.common import chat_sessions
from protheus.common.message_metadata import RESERVED_KEYS, MetadataTooLarge, customer_metadata

KEY = "clave-de-prueba-de-al-menos-32-bytes!"


@pytest.fixture(autouse=True)
def key(monkeypatch):
    monkeypatch.setenv("CHAT_SESSION_KEY", KEY)


def test_a_token_names_its_conversation_and_the_signed_customer():
    session = chat_sessions.verify(chat_sessions.issue("conversacion-1", customer_code=" prime01 "))
    assert session == chat_sessions.ChatSession("conversacion-1", "PRIME01")
    fresh = chat_sessions.verify(chat_sessions.issue())
    assert fresh is not None and len(fresh.session_id) == 32 and fresh.customer_code is None


def test_forged_expired_and_malformed_tokens_are_refused(monkeypatch):
    now = int(time.time())
    forged = jwt.encode(
        {"sid": "victima", "exp": now + 60}, "otra-clave-tambien-de-al-menos-32-bytes", algorithm="HS256"
    )
    expired = jwt.encode({"sid": "victima", "exp": now - 1}, KEY, algorithm="HS256")
    unsigned = jwt.encode({"sid": "victima", "exp": now + 60}, None, algorithm="none")
    no_expiry = jwt.encode({"sid": "victima"}, KEY, algorithm="HS256")
    long_id = jwt.encode({"sid": "x" * 65, "exp": now + 60}, KEY, algorithm="HS256")
    for token in (forged, expired, unsigned, no_expiry, long_id, "", None, 42, "a.b.c", "x" * 5000):
        assert chat_sessions.verify(token) is None, token


def test_the_key_is_generated_once_into_a_private_file(monkeypatch, tmp_path):
    from protheus.common import settings

    monkeypatch.delenv("CHAT_SESSION_KEY")
    monkeypatch.setattr(settings, "CHAT_KEY_FILE", tmp_path / "clave")
    settings.ensure_secrets()  # at start
    first = settings.chat_session_key()
    assert settings.chat_session_key() == first and len(first) >= 32
    assert (tmp_path / "clave").stat().st_mode & 0o777 == 0o600


def test_bearer_header():
    assert chat_sessions.bearer("Bearer abc") == "abc" and chat_sessions.bearer("bearer  abc ") == "abc"
    assert chat_sessions.bearer("Basic abc") is None and chat_sessions.bearer(None) is None


def test_customer_metadata_keeps_neither_the_channels_keys_nor_too_much():
    forged = {key: "falso" for key in RESERVED_KEYS}
    assert customer_metadata({"idioma": "es", **forged}, 2000) == {"idioma": "es"}
    assert customer_metadata('{"idioma": "es"}', 2000) == {"idioma": "es"}
    assert customer_metadata(["no", "es", "objeto"], 2000) == {} and customer_metadata("no json", 2000) == {}
    with pytest.raises(MetadataTooLarge):
        customer_metadata({"relleno": "x" * 3000}, 2000)
    with pytest.raises(MetadataTooLarge):
        customer_metadata("x" * 3000, 2000)
