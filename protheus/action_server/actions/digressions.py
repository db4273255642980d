"""A question back in the middle of a form: answered, and the form asks its pending question
again, said another way (mensajes.yml, `preguntas_retomadas`).

What the question is about decides the answer (protheus.support.answer_reading): the pending question
itself (what it means, how to find the answer, why it is asked), the cost, the process, or
anything else, answered by its intent: a guideline question (routing.yml, `pregunta: si`) with
its guideline text; a question about the product is offered as its own request once the form
is done (protheus/action_server/actions/pending_requests.py), never instead of it.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from protheus.action_server.actions.pending_requests import later_question
from protheus.action_server.actions.slots import AFTER_DIGRESSION
from protheus.common.messages import answer_text
from protheus.common.vocabulary import Theme
from protheus.support.answer_reading import Reading
from protheus.support.routing import routing_table

THEME_TEXTS = {Theme.ABOUT_QUESTION: "ayuda", Theme.COST: "costo", Theme.PROCESS: "proceso"}


def ask_again(slot: str) -> list[EventType]:
    """The pending slot stays empty and is asked again, said another way."""
    return [SlotSet(slot, None), SlotSet(AFTER_DIGRESSION, True)]


def answer_question(dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, reading: Reading) -> list[EventType]:
    """The answer to a question back, then the pending question again."""
    events = ask_again(slot)
    key = THEME_TEXTS.get(reading.theme) if reading.theme else None
    if key is not None:
        dispatcher.utter_message(**answer_text(slot, key))
    elif routing_table().is_question(reading.intent):
        dispatcher.utter_message(response=f"utter_{reading.intent}")
    else:  # about the product, or no guideline answers it: its own request, after this one
        dispatcher.utter_message(**answer_text(slot, "consulta_para_despues"))
        events += later_question(tracker)
    return events
