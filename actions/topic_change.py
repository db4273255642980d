"""A new request in the middle of a form («mejor olvídalo, lo que necesito es capacitación»):
the form is left, its answers dropped, and the new request is answered and routed as if it had
come first (its guideline text, then action_derivar for that intent)."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.free_answers import free_answers
from actions.routing import routing_table
from protheus.messages import message

NEW_TOPIC = "cambio_de_tema"
SURE = 0.6  # the FallbackClassifier's threshold is 0.4: a request must be clearer than that
FREE_TEXT_SLOTS = {"modulo", "descripcion_error"}


CANCEL = "cancelar"


def topic_change(tracker: Tracker) -> str | None:
    """The intent of a new request in the customer's last message, if it leaves the form; CANCEL
    for «empezar de nuevo» and the like. Not asked of an answer to the pending question."""
    requested = tracker.get_slot("requested_slot")
    if requested and free_answers().restarts_over(tracker.latest_message.get("text") or ""):
        return CANCEL
    intent = tracker.latest_message.get("intent") or {}
    route = routing_table().get(intent.get("name"))
    if not requested or route is None or not route.hands_off or route.triage or (intent.get("confidence") or 0) < SURE:
        return None
    if route.intent == "hablar_con_humano":
        return None  # the rules hand it to an agent with the form's answers
    text = tracker.latest_message.get("text") or ""
    if requested in FREE_TEXT_SLOTS and not free_answers().changes_topic(text):
        return None
    return route.intent


def leave_for(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str, triage: list[str]) -> list[EventType]:
    """Leave the form for `intent`: the form's completion rule then runs action_derivar, which
    takes NEW_TOPIC as the intent to route."""
    if intent == CANCEL:
        dispatcher.utter_message(**message("formulario_cancelado"))
    else:
        dispatcher.utter_message(response=f"utter_{intent}")
    dropped = [SlotSet(slot, None) for slot in triage if tracker.get_slot(slot) is not None]
    return [*dropped, SlotSet(NEW_TOPIC, intent), SlotSet("requested_slot", None), ActiveLoop(None)]
