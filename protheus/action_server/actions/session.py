"""Session start: fills the support contact from the SUPPORT_EMAIL setting, and starts clean.

A conversation idle past the session expiry (domain `session_config`) starts a new session: the
customer's identity is kept (code and verification), the answers of a form left unfinished are
not, and the customer is told which request was left unregistered.
"""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from protheus.action_server.actions.handoff import REQUEST_STATE, TRIAGE_SLOTS, topic_intent
from protheus.action_server.actions.slots import (
    AFTER_DIGRESSION,
    NEEDS_ACCEPTANCE,
    NEW_TOPIC,
    OFFERING,
    PENDING,
    RESUME,
)
from protheus.action_server.actions.verification import ATTEMPTS_SLOT
from protheus.common.messages import message
from protheus.common.settings import form_idle_minutes, support_contact
from protheus.support.routing import routing_table

# A form's answers and state are not carried: a new session starts its requests afresh.
NOT_CARRIED = {
    "correo_soporte",
    "session_started_metadata",
    "requested_slot",
    *TRIAGE_SLOTS,
    *REQUEST_STATE,
    PENDING,
    OFFERING,
    RESUME,
    NEEDS_ACCEPTANCE,
    AFTER_DIGRESSION,
    NEW_TOPIC,
    ATTEMPTS_SLOT,
}


def carried_over_slots(tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
    """Slots of the previous session, kept as Rasa's default session start would."""
    if not domain.get("session_config", {}).get("carry_over_slots_to_new_session", True):
        return []
    return [
        SlotSet(name, value) for name, value in tracker.slots.items() if value is not None and name not in NOT_CARRIED
    ]


def pending_request(tracker: Tracker, key: str) -> dict[str, Any] | None:
    """The message `key` naming the conversation's request (its label in routing.yml)."""
    intent = topic_intent(tracker)
    label = routing_table().label(intent) if intent else None
    return message(key, etiqueta=label) if label else None


def unfinished_request(tracker: Tracker) -> dict[str, Any] | None:
    """What to tell a customer whose form was left unfinished when the session expired."""
    if not (tracker.active_loop or {}).get("name"):
        return None
    return pending_request(tracker, "solicitud_sin_terminar")


def idle_reminder(tracker: Tracker) -> dict[str, Any] | None:
    """For a customer back to a pending form after FORM_IDLE_MINUTES: which request is pending,
    and that «cancelar» leaves it (within a session; a new session starts afresh)."""
    times = [e.get("timestamp") for e in tracker.events if e.get("event") == "user"][-2:]
    if len(times) < 2 or not all(isinstance(t, (int, float)) for t in times):
        return None
    if times[1] - times[0] < form_idle_minutes() * 60:
        return None
    return pending_request(tracker, "formulario_retomado")


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        carried = carried_over_slots(tracker, domain)
        unfinished = unfinished_request(tracker)
        if unfinished is not None:
            dispatcher.utter_message(**unfinished)
        return [
            SessionStarted(),
            *carried,
            SlotSet("correo_soporte", support_contact()),
            ActionExecuted("action_listen"),
        ]
