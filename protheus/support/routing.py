"""The routing table (routing.yml): intent → channel (or triage rule), label and collected slots."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from protheus.common.paths import PROJECT
from protheus.common.vocabulary import Channel
from protheus.db.customers import CustomerInfo
from protheus.support.triage import TRIAGE_RULES

NO_HANDOFF = "ninguno"
# Intents never offered as an interpretation (the clarification buttons of the action server, the
# second request the Rasa channels offer): answers and courtesies (sí, no, hola...) are no topic.
NOT_OFFERED = frozenset(
    {
        "nlu_fallback",
        "out_of_scope",
        "entrada_no_valida",
        "idioma_no_soportado",
        "fuera_de_dominio",
        "hablar_con_humano",
        "afirmar",
        "negar",
        "saludo",
        "despedida",
        "agradecimiento",
        "cancelar",
    }
)


class RoutingError(ValueError):
    """routing.yml names a channel or a triage rule that does not exist (Spanish message)."""


@dataclass(frozen=True)
class Route:
    intent: str
    label: str
    channel: Channel | None = None  # None: no hand-off, or decided by `triage`
    triage: str | None = None  # a rule of protheus/support/triage.py
    collected: tuple[str, ...] = ()
    question: bool = False  # answered in the middle of a form, which then goes on
    request_name: str = ""  # «el reporte del error»: how it is named when offered back
    form: str | None = None  # the form that collects the triage's answers

    @property
    def hands_off(self) -> bool:
        return self.channel is not None or self.triage is not None

    def decide(self, slots: Mapping[str, Any], customer: CustomerInfo | None, urgent: bool) -> Channel | None:
        """The channel of this route for the answers given (None: no hand-off)."""
        if self.triage is not None:
            return TRIAGE_RULES[self.triage](slots, customer, urgent)
        return self.channel


def _route(intent: str, spec: dict) -> Route:
    triage, channel = spec.get("triaje"), spec.get("canal", NO_HANDOFF)
    if triage is not None and triage not in TRIAGE_RULES:
        raise RoutingError(f"routing.yml, {intent}: el triaje «{triage}» no existe (use {', '.join(TRIAGE_RULES)}).")
    if triage is None and channel != NO_HANDOFF and Channel.parse(channel) is None:
        names = ", ".join([NO_HANDOFF, *(c.value for c in Channel)])
        raise RoutingError(f"routing.yml, {intent}: el canal «{channel}» no existe (use {names}).")
    return Route(
        intent,
        spec["etiqueta"],
        None if triage or channel == NO_HANDOFF else Channel(channel),
        triage,
        tuple(spec.get("recopilar") or ()),
        spec.get("pregunta") in (True, "si", "sí"),
        str(spec.get("solicitud") or spec["etiqueta"]),
        spec.get("formulario"),
    )


class RoutingTable:
    """Read-only view of routing.yml."""

    def __init__(self, routes: dict[str, Route]) -> None:
        self._routes = routes

    @classmethod
    def load(cls, path: Path = PROJECT.routing) -> RoutingTable:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))["intents"]
        return cls({name: _route(name, spec) for name, spec in raw.items()})

    def get(self, intent: str | None) -> Route | None:
        return self._routes.get(intent) if intent else None

    def label(self, intent: str) -> str | None:
        route = self._routes.get(intent)
        return route.label if route else None

    def collected(self, intent: str) -> tuple[str, ...]:
        """Slots whose values go into the hand-off of this intent."""
        route = self._routes.get(intent)
        return route.collected if route else ()

    def is_question(self, intent: str | None) -> bool:
        """A question answered inside a form, which then asks its pending question again."""
        route = self.get(intent)
        return route is not None and route.question

    def intents(self) -> list[str]:
        return list(self._routes)


@lru_cache(maxsize=1)
def routing_table() -> RoutingTable:
    return RoutingTable.load()
