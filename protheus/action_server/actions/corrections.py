"""Corrections of an earlier answer, said at a later question: «uy no, espere: pasa con todos los
clientes», «perdón, el código era STD01». The reading names the answer and its new value
(protheus.support.answer_reading.corrected); the customer is told what changed. Without a new value the
question is asked again. A new customer code is verified again. The hand-off decision is computed
from the slots when the form ends, so it follows the correction.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from protheus.action_server.actions.slots import AFTER_DIGRESSION, UNKNOWN
from protheus.common.messages import labels, message
from protheus.common.vocabulary import Question

SHOWN = {True: "sí", False: "no"}


def corrected_events(dispatcher: CollectingDispatcher, slot: str, value: Any, unknown: list[str]) -> list[EventType]:
    """The earlier answer `slot` becomes `value` (None: asked again), said back to the customer."""
    name = labels("campos").get(slot, slot)
    if value is None:
        dispatcher.utter_message(**message("correccion_pendiente", campo=name))
    else:
        dispatcher.utter_message(**message("correccion_aplicada", campo=name, valor=SHOWN.get(value, value)))
    events: list[EventType] = [SlotSet(slot, value), SlotSet(AFTER_DIGRESSION, True)]
    if slot in unknown:
        events.append(SlotSet(UNKNOWN, [s for s in unknown if s != slot]))
    if slot == Question.CUSTOMER_CODE:
        events.append(SlotSet(Question.VERIFICATION.value, None))  # a new code is verified again
    return events
