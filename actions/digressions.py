"""A question in the middle of a form: answered with its guideline text, and the form goes on.

Which intents are such questions is data (routing.yml, `pregunta: si`). The form's validation
answers the question instead of reading it as the pending answer (a question is not a module, a
description or a customer code), and marks that it did: the form then asks its pending question
again, said another way (mensajes.yml, `preguntas_retomadas`), and whatever the customer answers
next is recorded as usual. One mechanism for every form and every question: no rule per pair.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.free_answers import free_answers
from actions.routing import routing_table
from protheus.messages import message

AFTER_DIGRESSION = "tras_digresion"
WHY = "por_que"  # «¿por qué me pregunta esto?»: the reason for the pending question


def digression(tracker: Tracker) -> str | None:
    """The question intent of the customer's last message (or WHY), when a form is asking."""
    if not tracker.get_slot("requested_slot"):
        return None
    if free_answers().asks_why(tracker.latest_message.get("text") or ""):
        return WHY
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    return intent if routing_table().is_question(intent) else None


def answer_digression(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str) -> list[EventType]:
    """The guideline text of the question (or why the pending one is asked); the pending slot
    stays empty and is asked again."""
    if intent == WHY:
        dispatcher.utter_message(**message(f"por_que_{tracker.get_slot('requested_slot')}"))
    else:
        dispatcher.utter_message(response=f"utter_{intent}")
    return [SlotSet(tracker.get_slot("requested_slot"), None), SlotSet(AFTER_DIGRESSION, True)]
