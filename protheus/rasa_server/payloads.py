"""Messages that start with "/" are what the customer wrote, never intents or entities.

Rasa reads `/atencion_urgente{"codigo_cliente": "PRIME01"}` as that intent with that entity,
which let anyone skip a form or claim a customer code in one message. Rasa's
RegexMessageHandler now unpacks a message only when the channel marked it trusted: a button
payload the bot offered in its last message (the clarification and yes/no buttons), the
widget's first message, or a caller holding the Rasa token. Every other "/..." message is
classified as text.

Installed in Rasa's process by protheus.rasa_server.patches.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.nlu.constants import METADATA
from rasa.shared.nlu.training_data.message import Message

from protheus.common.chat_sessions import INIT_PAYLOAD
from protheus.common.message_metadata import TRUSTED_PAYLOAD_KEY

__all__ = ["INIT_PAYLOAD", "is_payload", "offered_payloads"]

_unpack = RegexMessageHandler.process


def is_payload(text: str | None) -> bool:
    return (text or "").strip().startswith(INTENT_MESSAGE_PREFIX)


def offered_payloads(events: Iterable[Any]) -> set[str]:
    """The button payloads of the bot's messages since the customer last wrote (Rasa events)."""
    offered: set[str] = set()
    for event in reversed(list(events)):
        name = getattr(event, "type_name", None)
        if name == "user":
            break
        if name == "bot":
            data = getattr(event, "data", None) or {}
            for button in [*(data.get("buttons") or []), *(data.get("quick_replies") or [])]:
                if isinstance(button, dict) and isinstance(button.get("payload"), str):
                    offered.add(button["payload"].strip())
    return offered


def _trusted(message: Message) -> bool:
    return bool((message.get(METADATA) or {}).get(TRUSTED_PAYLOAD_KEY))


def _process_trusted_only(self: RegexMessageHandler, messages: list[Message], domain: Any = None) -> list[Message]:
    return [_unpack(self, [m], domain)[0] if _trusted(m) else m for m in messages]


def install() -> None:
    RegexMessageHandler.process = _process_trusted_only


def installed() -> bool:
    return RegexMessageHandler.process is _process_trusted_only
