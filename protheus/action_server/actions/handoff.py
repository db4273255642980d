"""The one hand-off action: registers the conversation with the channel that must take it.

Which intent is being handed off, and where to, comes from the routing table
(routing.yml) and the triage rules (protheus/support/triage.py); every text the customer
reads is in mensajes.yml.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ConversationPaused, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from protheus.action_server.actions.database import customers, handoff_outbox, handoffs, presence
from protheus.action_server.actions.outbox import HandoffOutbox
from protheus.action_server.actions.pending_requests import offer_if_pending
from protheus.action_server.actions.slots import (
    AFTER_DIGRESSION,
    CUSTOMER_QUESTION,
    HELPED,
    NEEDS_ACCEPTANCE,
    NEW_TOPIC,
    REQUESTED,
    TO_CONFIRM,
    UNKNOWN,
    URGENT,
)
from protheus.action_server.actions.verification import SLOT as VERIFICATION_SLOT
from protheus.action_server.actions.verification import identification
from protheus.common.messages import labels, message
from protheus.common.service_hours import PRIME_HOURS, ServiceHours
from protheus.common.settings import agent_hours, portal_url
from protheus.common.vocabulary import Channel, Identification, Question, label_of
from protheus.db.customers import CustomerInfo, CustomerStore
from protheus.db.handoffs import HandoffStore
from protheus.db.presence import PresenceStore
from protheus.support.error_log import parse, split_log
from protheus.support.routing import routing_table

CUSTOMER_CODE = Question.CUSTOMER_CODE.value

logger = logging.getLogger(__name__)

# Slots of one triage; cleared once the hand-off is registered or refused.
TRIAGE_SLOTS = [
    "modulo",
    "descripcion_error",
    "reproduce_en_estandar",
    "solo_registros_especificos",
    "acepta_terminos_consultoria",
]
# What a hand-off records for a question the customer did not know (the slot itself stays null).
UNKNOWN_ANSWER = "no_lo_sabe"
# A request's state, cleared with its answers once it is handed off or left.
REQUEST_STATE = [TO_CONFIRM, HELPED, UNKNOWN, URGENT, CUSTOMER_QUESTION]
# The entity of the button that leaves a live-agent request queued while no agent can answer.
LEAVE_QUEUED = "dejar_en_cola"


def form_answers(events: list[dict[str, Any]]) -> set[int]:
    """The customer messages a form took as answers (written while it asked, and not refused by
    it): their intent is not a topic, whatever the NLU read (a bare e-mail reads like «contact me»)."""
    answers: set[int] = set()
    active, latest = None, None
    for index, event in enumerate(events):
        kind = event.get("event")
        if kind == "active_loop":
            active = event.get("name")
        elif kind == "user":
            latest = index if active else None
            if latest is not None:
                answers.add(index)
        elif kind == "action_execution_rejected" and latest is not None:
            answers.discard(latest)  # an interruption ("quiero un agente"): a topic after all
    return answers


def topic_intent(tracker: Tracker) -> str | None:
    """The most recent customer intent that has a hand-off route (answers like 'sí' have none,
    nor the answers a form took)."""
    table = routing_table()
    answers = form_answers(tracker.events)
    for index in range(len(tracker.events) - 1, -1, -1):
        event = tracker.events[index]
        if event.get("event") != "user" or index in answers:
            continue
        name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        route = table.get(name)
        if route and route.hands_off:
            return name
    return None


def request_intent(tracker: Tracker) -> str | None:
    """The request being handed off: the one a form was left for, else the conversation's topic."""
    return tracker.get_slot(NEW_TOPIC) or topic_intent(tracker)


def asked_for_urgent_attention(tracker: Tracker) -> bool:
    """The customer said it is urgent: as a request, or in the middle of an error report."""
    return tracker.get_slot(URGENT) is True or any(
        e.get("event") == "user" and ((e.get("parse_data") or {}).get("intent") or {}).get("name") == "atencion_urgente"
        for e in tracker.events
    )


def collected_slots(tracker: Tracker, intent: str) -> dict[str, Any]:
    """What the channel needs, and with a customer code how the customer was identified."""
    unknown = tracker.get_slot(UNKNOWN) or []
    slots = {
        name: tracker.get_slot(name) if name not in unknown else UNKNOWN_ANSWER
        for name in routing_table().collected(intent)
        if tracker.get_slot(name) is not None or name in unknown
    }
    if CUSTOMER_CODE in slots:
        slots[VERIFICATION_SLOT] = identification(tracker).value
    return slots


def summary(intent: str, slots: dict[str, Any]) -> str:
    """One line for the agent who picks the hand-off up; a pasted log as its fields."""
    labels = {True: "sí", False: "no"}
    parts = [routing_table().label(intent) or intent]
    shown = {**slots, VERIFICATION_SLOT: Identification.parse(slots.get(VERIFICATION_SLOT))}
    parts += [
        f"{name.replace('_', ' ')}: {_shown(value, labels)}" for name, value in shown.items() if value is not None
    ]
    return ". ".join(str(p) for p in parts)


def summary_before_registering(tracker: Tracker) -> dict[str, Any] | None:
    """What the hand-off will send and where, as the form asks its last question: the customer
    sees it before anything is registered and can correct it (protheus/action_server/actions/corrections.py)."""
    intent = request_intent(tracker)
    route = routing_table().get(intent)
    if route is None or intent is None:
        return None
    slots = collected_slots(tracker, intent)
    channel = route.decide(slots, None, asked_for_urgent_attention(tracker))
    if channel is None:
        return None
    shown = {k: v for k, v in slots.items() if k not in (CUSTOMER_CODE, VERIFICATION_SLOT)}
    return message("resumen_antes_de_registrar", canal=label_of(Channel, channel.value), resumen=summary(intent, shown))


def _shown(value: Any, labels: dict[bool, str]) -> Any:
    if value == UNKNOWN_ANSWER:
        return unknown_label()
    if isinstance(value, Identification):
        return value.label
    if isinstance(value, bool):
        return labels[value]
    log = parse(value) if isinstance(value, str) else None
    if log is None:
        return value
    words = split_log(value)[0]
    return f"{words} [log] {log.summary()}".strip()


def _chose_the_queue(tracker: Tracker) -> bool:
    """The customer pressed «Dejar mi solicitud en la cola» (offered when no agent could answer)."""
    return any(e.get("entity") == LEAVE_QUEUED for e in tracker.latest_message.get("entities") or [])


def unknown_label() -> str:
    return labels("lecturas")[UNKNOWN_ANSWER]


def _reset_triage() -> list[EventType]:
    return [SlotSet(name, None) for name in [*TRIAGE_SLOTS, *REQUEST_STATE]] + [
        SlotSet(NEEDS_ACCEPTANCE, False),
        SlotSet(NEW_TOPIC, None),
    ]


def form_incomplete(tracker: Tracker, form: str, domain: dict[str, Any]) -> bool:
    """A form's questions are not all answered (or known to be unknown): a request taken up
    again, or a new one left a form for, goes through its form first."""
    required = (domain.get("forms") or {}).get(form, {}).get("required_slots") or []
    unknown = tracker.get_slot(UNKNOWN) or []
    return any(tracker.get_slot(slot) is None and slot not in unknown for slot in required)


class ActionHandOff(Action):
    def __init__(
        self,
        customers: Callable[[], CustomerStore] = customers,
        handoffs: Callable[[], HandoffStore] = handoffs,
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
        outbox: Callable[[], HandoffOutbox] = handoff_outbox,
        presence: Callable[[], PresenceStore] = presence,
        hours: Callable[[], ServiceHours] = agent_hours,
    ) -> None:
        self._customers = customers
        self._handoffs = handoffs
        self._outbox = outbox
        self._clock = clock
        self._presence = presence
        self._hours = hours

    def name(self) -> str:
        return "action_derivar"

    def _customer(self, code: str | None) -> CustomerInfo | None:
        if not code:
            return None
        try:
            return self._customers().get(code)
        except SQLAlchemyError:
            logger.exception("Could not read customer %s", code)
            return None

    def _agents_answer_now(self, now: datetime) -> bool:
        """Within the live agents' hours and someone said «disponible» (an unreadable presence
        counts as nobody: better the alternatives than a pause nobody answers)."""
        if not self._hours().within(now):
            return False
        try:
            return self._presence().anyone_available()
        except SQLAlchemyError:
            logger.exception("Could not read the agents' presence")
            return False

    def _no_agent_now(self, now: datetime) -> dict[str, Any]:
        """Why nobody can answer, when they work, and the alternatives (queue or Portal)."""
        hours = self._hours()
        values = {"horario": hours.describe(), "portal": portal_url()}
        if not hours.within(now):
            moment = hours.describe_moment(hours.next_opening(now))
            return message("agentes_fuera_de_horario", proxima_atencion=moment, **values)
        return message("agentes_ausentes", **values)

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        intent = request_intent(tracker)  # a form left for a new request names it (topic_change)
        route = routing_table().get(intent)
        if route is not None and route.form and form_incomplete(tracker, route.form, domain):
            return [SlotSet(REQUESTED, None), SlotSet(AFTER_DIGRESSION, False), FollowupAction(route.form)]
        events = await self._hand_off(dispatcher, tracker, intent)
        waiting = any(e.get("name") == NEEDS_ACCEPTANCE and e.get("value") for e in events)
        paused = any(e.get("event") == "pause" for e in events)
        return events if waiting or paused else offer_if_pending(tracker, events)

    async def _hand_off(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, intent: str | None
    ) -> list[EventType]:
        route = routing_table().get(intent)
        if route is None or intent is None:
            return [SlotSet(NEW_TOPIC, None)] if tracker.get_slot(NEW_TOPIC) else []
        # A claimed code is shown to the agent but never routes the customer (only a verified one).
        verified = identification(tracker).verified
        customer = self._customer(tracker.get_slot(CUSTOMER_CODE)) if verified else None
        slots = collected_slots(tracker, intent)
        channel = route.decide(slots, customer, asked_for_urgent_attention(tracker))
        if channel is None:  # nothing to hand off (a form left with «empezar de nuevo»)
            return [SlotSet(NEW_TOPIC, None)] if tracker.get_slot(NEW_TOPIC) else []

        if channel is Channel.CONSULTING:
            accepted = tracker.get_slot("acepta_terminos_consultoria")
            if accepted is None:
                return [SlotSet(NEEDS_ACCEPTANCE, True)]
            if accepted is False:
                dispatcher.utter_message(**message("consultoria_rechazada"))
                return _reset_triage()

        now = self._clock()
        pause = channel is Channel.LIVE_AGENT and self._agents_answer_now(now)
        if channel is Channel.LIVE_AGENT and not pause and not _chose_the_queue(tracker):
            dispatcher.utter_message(**self._no_agent_now(now))
            return _reset_triage()

        text = summary(intent, slots)
        request = dict(sender_id=tracker.sender_id, channel=channel, intent=intent, slots=slots, summary=text)
        try:
            handoff, _ = self._handoffs().create(**request)
        except SQLAlchemyError:
            logger.exception("Could not register the hand-off of %s", tracker.sender_id)
            kept = self._outbox().hold(**request)
            dispatcher.utter_message(**message("derivacion_pendiente", handoff_id=kept))
            return [SlotSet("handoff_id", kept), *_reset_triage()]
        self._outbox().flush_soon()  # those kept during an outage: written outside this turn, in their place

        payload = {"handoff": {"canal": channel.value, "id": handoff.id, "intent": intent, "resumen": text}}
        key, extra = f"derivacion_{channel}", {}
        if channel is Channel.LIVE_AGENT and not pause:
            key, extra = "derivacion_agente_humano_en_cola", {"horario": self._hours().describe()}
        if channel is Channel.PRIME and not PRIME_HOURS.within(now):
            key, extra = (
                "derivacion_soporte_prime_fuera_de_horario",
                {"proxima_atencion": PRIME_HOURS.describe_moment(PRIME_HOURS.next_opening(now))},
            )
        # One message: the Spanish text for the customer and the hand-off payload (PRODUCT.md).
        dispatcher.utter_message(**message(key, handoff_id=handoff.id, **extra), json_message=payload)

        events: list[EventType] = [SlotSet("handoff_id", handoff.id), *_reset_triage()]
        if pause:
            # The bot stays silent until an agent releases it (a "resume" event). The
            # action_listen keeps the rules matching when the conversation resumes.
            events += [ConversationPaused(), ActionExecuted("action_listen")]
        return events
