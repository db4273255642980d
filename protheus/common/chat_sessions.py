"""Signed chat sessions: which conversation a browser may join, and who the customer is.

The support page (or the customer portal that embeds the chat) hands the widget a JWT signed
with CHAT_SESSION_KEY (HS256). It names the conversation (`sid`) and, when the portal knows
the customer, their code (`codigo_cliente`). Rasa's channels accept a socket.io connection, or
a REST message beyond loopback, only with a valid token, and the conversation is always the
token's: a session id learnt from the console or a log is of no use without it.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

import jwt

from protheus.common.settings import chat_session_hours, chat_session_key

ALGORITHM = "HS256"
SESSION_CLAIM, CUSTOMER_CLAIM = "sid", "codigo_cliente"
MAX_ID_CHARS = 64
# What the web chat sends when a conversation opens (web/app.js takes it from /config.js); the
# channels read it as an intent (protheus.rasa_server.payloads).
INIT_PAYLOAD = "/saludo"


@dataclass(frozen=True)
class ChatSession:
    session_id: str
    customer_code: str | None = None  # signed by the portal: a known customer, not a claimed one


def issue(session_id: str | None = None, customer_code: str | None = None, hours: int | None = None) -> str:
    """A token for one conversation (a new one unless `session_id` is given)."""
    now = int(time.time())
    claims: dict[str, object] = {
        SESSION_CLAIM: session_id or uuid.uuid4().hex,
        "iat": now,
        "exp": now + 3600 * (hours or chat_session_hours()),
    }
    if customer_code:
        claims[CUSTOMER_CLAIM] = customer_code.strip().upper()
    return jwt.encode(claims, chat_session_key(), algorithm=ALGORITHM)


def verify(token: object) -> ChatSession | None:
    """The session a token signs, or None when it is missing, forged, expired or malformed."""
    if not isinstance(token, str) or not token or len(token) > 4096:
        return None
    try:
        claims = jwt.decode(token, chat_session_key(), algorithms=[ALGORITHM], options={"require": ["exp", "sid"]})
    except jwt.PyJWTError:
        return None
    session_id, code = claims.get(SESSION_CLAIM), claims.get(CUSTOMER_CLAIM)
    if not isinstance(session_id, str) or not 0 < len(session_id) <= MAX_ID_CHARS:
        return None
    return ChatSession(session_id, code.strip().upper() if isinstance(code, str) and code.strip() else None)


def bearer(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header."""
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None
