"""Which channel a conversation goes to (PRODUCT.md, "Channels and routing")."""
from __future__ import annotations

from typing import Any, Mapping, Optional

from protheus.db.store import CustomerInfo

CONSULTING = "consultoria_remota"
STANDARD = "soporte_estandar"
PRIME = "soporte_prime"


def error_channel(slots: Mapping[str, Any], customer: Optional[CustomerInfo], urgent: bool) -> str:
    """reportar_error: Prime for a Prime customer with a critical process; Remote Consulting
    when it does not reproduce in a standard environment or only with specific records."""
    if customer is not None and customer.is_prime and urgent:
        return PRIME
    if slots.get("reproduce_en_estandar") is False or slots.get("solo_registros_especificos") is True:
        return CONSULTING
    return STANDARD


def urgent_channel(customer: Optional[CustomerInfo]) -> str:
    """atencion_urgente: Prime customers to the Prime team, everyone else to Remote Consulting."""
    return PRIME if customer is not None and customer.is_prime else CONSULTING


def decide_channel(
    intent: str, routed: str, slots: Mapping[str, Any], customer: Optional[CustomerInfo], urgent: bool
) -> str:
    """The channel for `intent`, given the routing table's channel `routed`."""
    if intent == "reportar_error":
        return error_channel(slots, customer, urgent)
    if intent == "atencion_urgente":
        return urgent_channel(customer)
    return routed
