"""Requests left for later, offered back once the request in hand is done.

Two kinds: a form the customer left for another request («dejá eso; lo que necesitamos es una
capacitación»): its answers are kept and, after the new request, the bot asks «¿Seguimos con el
reporte del error en MATA410?»; and a question about the product asked inside a form («¿qué es
un TES?»): after the form, «¿Registro también su consulta…?». Nothing is registered that the
customer did not ask for: each is offered, and only a yes acts.

action_ofrecer_pendiente starts the offer (called by action_derivar and the cancellation when
something is pending); formulario_retomar asks it (its answer read like any other form answer);
action_retomar_solicitud acts on the answer (the form's validation is in protheus/action_server/actions/forms.py).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from protheus.action_server.actions.slots import CUSTOMER_QUESTION, NEW_TOPIC, OFFERING, PENDING, RESUME, UNKNOWN
from protheus.common.messages import message
from protheus.support.routing import routing_table

# Each pending request: {"tipo", "intencion", "respuestas" and "desconocidas" | "texto"}, oldest first.
SUSPENDED, LATER_QUESTION = "retomar", "consulta"
QUESTION_INTENT = "consulta_funcional"
OFFER_ACTION, HANDOFF_ACTION = "action_ofrecer_pendiente", "action_derivar"
MAX_PENDING = 3
MAX_QUESTION_CHARS = 300


def pending(tracker: Tracker) -> list[dict[str, Any]]:
    items = tracker.get_slot(PENDING)
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _added(tracker: Tracker, item: dict[str, Any]) -> list[EventType]:
    """Requests left for another one are offered before questions kept for later (the stable
    sort keeps each kind in order)."""
    items = sorted([*pending(tracker), item][-MAX_PENDING:], key=lambda i: i.get("tipo") != SUSPENDED)
    return [SlotSet(PENDING, items)]


def suspend(tracker: Tracker, intent: str, answers: dict[str, Any]) -> list[EventType]:
    """Keep a request the customer leaves for another one, with what they answered."""
    unknown = tracker.get_slot(UNKNOWN) or []
    item = {"tipo": SUSPENDED, "intencion": intent, "respuestas": answers, "desconocidas": list(unknown)}
    return _added(tracker, item)


def later_question(tracker: Tracker) -> list[EventType]:
    """Keep the product question just asked, to offer it as its own request after the form."""
    text = str(tracker.latest_message.get("text") or "").strip()[:MAX_QUESTION_CHARS]
    return _added(tracker, {"tipo": LATER_QUESTION, "intencion": QUESTION_INTENT, "texto": text})


def offer_if_pending(tracker: Tracker, events: list[EventType]) -> list[EventType]:
    """`events`, then the offer of the first pending request if there is one (a hand-off or a
    cancellation that leaves the slot set by `events` still holds it)."""
    still = next((e["value"] for e in reversed(events) if e.get("event") == "slot" and e.get("name") == PENDING), None)
    items = still if still is not None else pending(tracker)
    return [*events, FollowupAction(OFFER_ACTION)] if items else events


def _detail(item: dict[str, Any]) -> str:
    module = (item.get("respuestas") or {}).get("modulo")
    return f" en {module}" if module else ""


def offer_text(item: dict[str, Any]) -> dict[str, Any]:
    if item.get("tipo") == LATER_QUESTION:
        return message("oferta_consulta", texto=item.get("texto") or "")
    return message("oferta_retomar", solicitud=request_name(item), detalle=_detail(item))


def request_name(item: dict[str, Any]) -> str:
    route = routing_table().get(item.get("intencion"))
    return route.request_name if route else "su solicitud"


class ActionOfferPending(Action):
    """Opens formulario_retomar for the first pending request (a rule, data/rules/formularios.yml)."""

    def name(self) -> str:
        return OFFER_ACTION

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        return [SlotSet(OFFERING, bool(pending(tracker))), SlotSet(RESUME, None)]


class ActionResume(Action):
    """Acts on the answer to the offer: a yes restores the request (or registers the question)
    and hands it to action_derivar, which asks what is missing; a no drops it."""

    def name(self) -> str:
        return "action_retomar_solicitud"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        items = pending(tracker)
        events: list[EventType] = [SlotSet(PENDING, items[1:]), SlotSet(OFFERING, False), SlotSet(RESUME, None)]
        if not items:
            return events
        item = items[0]
        if tracker.get_slot(RESUME) is not True:
            dispatcher.utter_message(**message("retomar_descartada", solicitud=request_name(item)))
            return events + ([FollowupAction(OFFER_ACTION)] if items[1:] else [])
        if item.get("tipo") == LATER_QUESTION:
            events.append(SlotSet(CUSTOMER_QUESTION, item.get("texto")))
        else:
            dispatcher.utter_message(**message("solicitud_retomada", solicitud=request_name(item)))
            events += [SlotSet(slot, value) for slot, value in (item.get("respuestas") or {}).items()]
            events.append(SlotSet(UNKNOWN, item.get("desconocidas") or []))
        return [*events, SlotSet(NEW_TOPIC, item.get("intencion")), FollowupAction(HANDOFF_ACTION)]
