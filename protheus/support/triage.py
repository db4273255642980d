"""Which channel a conversation goes to (PRODUCT.md, "Channels and routing").

Each triage rule is named in routing.yml (`triaje:`) by the intents it decides for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from protheus.common.vocabulary import Channel
from protheus.db.customers import CustomerInfo

TriageRule = Callable[[Mapping[str, Any], CustomerInfo | None, bool], Channel]


def error_channel(slots: Mapping[str, Any], customer: CustomerInfo | None, urgent: bool) -> Channel:
    """reportar_error: Prime for a Prime customer with a critical process; Remote Consulting
    when it does not reproduce in a standard environment or only with specific records."""
    if customer is not None and customer.is_prime and urgent:
        return Channel.PRIME
    if slots.get("reproduce_en_estandar") is False or slots.get("solo_registros_especificos") is True:
        return Channel.CONSULTING
    return Channel.STANDARD


def urgent_channel(slots: Mapping[str, Any], customer: CustomerInfo | None, urgent: bool) -> Channel:
    """atencion_urgente: Prime customers to the Prime team, everyone else to Remote Consulting."""
    return Channel.PRIME if customer is not None and customer.is_prime else Channel.CONSULTING


TRIAGE_RULES: dict[str, TriageRule] = {"error": error_channel, "urgencia": urgent_channel}
