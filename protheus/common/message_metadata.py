"""What Rasa's channels attach to a customer's message (its `metadata`, kept in the tracker).

The channels write these keys themselves, from what they checked: the request's name, the
customer's address, the customer code a signed session carries, and whether a message that
starts with "/" is a button the bot offered. A customer's own metadata is kept only when small,
and never with these keys: nothing a customer sends can pass for what the channel checked.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

REQUEST_ID_KEY = "peticion"  # nginx's X-Request-Id: a retried request is answered once
ADDRESS_KEY = "direccion"  # the customer's address (per-address limits on verification)
SIGNED_CUSTOMER_KEY = "cliente_firmado"  # the customer code signed by the portal
TRUSTED_PAYLOAD_KEY = "carga_ofrecida"  # "/intent{...}" the bot offered, or a trusted caller's
RESERVED_KEYS = frozenset({REQUEST_ID_KEY, ADDRESS_KEY, SIGNED_CUSTOMER_KEY, TRUSTED_PAYLOAD_KEY})


class MetadataTooLarge(ValueError):
    """The customer's metadata is longer than MAX_METADATA_CHARS."""


def customer_metadata(raw: Any, max_chars: int) -> dict[str, Any]:
    """The customer's metadata without the channels' keys; a JSON string is read as an object.
    Raises MetadataTooLarge past `max_chars` (as JSON); anything but an object is dropped."""
    if isinstance(raw, str):
        if len(raw) > max_chars:
            raise MetadataTooLarge(len(raw))
        try:
            raw = json.loads(raw)
        except (ValueError, RecursionError):  # not JSON, or nested past Python's limit
            return {}
    if not isinstance(raw, Mapping):
        return {}
    try:
        size = len(json.dumps(raw, ensure_ascii=False, default=str))
    except (ValueError, RecursionError) as error:  # circular or too deep: not a customer's data
        raise MetadataTooLarge(max_chars + 1) from error
    if size > max_chars:
        raise MetadataTooLarge(size)
    return {str(k): v for k, v in raw.items() if str(k) not in RESERVED_KEYS}


def with_checked(customer: dict[str, Any], checked: dict[str, Any]) -> dict[str, Any]:
    """The customer's metadata with what the channel checked (empty values left out)."""
    return {**customer, **{key: value for key, value in checked.items() if value}}


def latest_user_metadata(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The metadata of the customer's last message in a tracker's events (custom actions)."""
    for event in reversed(events):
        if event.get("event") == "user":
            return event.get("metadata") or {}
    return {}
