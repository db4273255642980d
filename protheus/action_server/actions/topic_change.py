"""Leaving a form, only when the customer means it (protheus.support.answer_reading decides that it is a
cancellation or a new request, and which one).

A new request («sabés qué, dejá eso; lo que necesitamos es una capacitación…»): the form's
answers are kept aside (protheus/action_server/actions/pending_requests.py), the new request is answered with its
guideline text and routed by action_derivar as if it had come first, and the unfinished one is
offered back afterwards. A cancellation drops the form and registers nothing.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from protheus.action_server.actions.pending_requests import request_name, suspend
from protheus.action_server.actions.slots import NEEDS_ACCEPTANCE, NEW_TOPIC, REQUESTED
from protheus.common.messages import message

CANCEL = "cancelar"
LIVE_AGENT = "hablar_con_humano"


def leave_for(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str, triage: list[str]) -> list[EventType]:
    """Leave the form for `intent`: the form's completion rule then runs action_derivar, which
    takes NEW_TOPIC as the intent to route."""
    if intent == CANCEL:
        dispatcher.utter_message(**message("formulario_cancelado"))
    else:
        dispatcher.utter_message(response=f"utter_{intent}")
    dropped = [SlotSet(slot, None) for slot in triage if tracker.get_slot(slot) is not None]
    # The consulting terms no longer wait: the new request asks for them again if it needs them.
    return [
        *dropped,
        SlotSet(NEEDS_ACCEPTANCE, False),
        SlotSet(NEW_TOPIC, intent),
        SlotSet(REQUESTED, None),
        ActiveLoop(None),
    ]


def leave_for_new_request(
    dispatcher: CollectingDispatcher, tracker: Tracker, intent: str, current: str | None, triage: list[str]
) -> list[EventType]:
    """Keep the request in hand aside (not a live agent: they take the conversation as it is),
    then leave for the new one."""
    kept: list[EventType] = []
    if current and intent != LIVE_AGENT:
        answers: dict[str, Any] = {s: tracker.get_slot(s) for s in triage if tracker.get_slot(s) is not None}
        kept = suspend(tracker, current, answers)
        item = {"intencion": current, "respuestas": answers}
        dispatcher.utter_message(**message("solicitud_en_pausa", solicitud=request_name(item)))
    return [*kept, *leave_for(dispatcher, tracker, intent, triage)]
