"""Corrections inside a form: «me equivoqué, en el estándar no pasa», «cambie el módulo a
SIGAFIN». The slot named (else the last one answered) takes the value the message gives, the
opposite yes/no, or is asked again; the customer is told what changed. The hand-off decision is
computed from the slots when the form ends, so it follows the correction.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.free_answers import free_answers
from actions.modules import normalise_module
from protheus.messages import labels, message

BOOL_SLOTS = {"reproduce_en_estandar", "solo_registros_especificos", "acepta_terminos_consultoria"}
SHOWN = {True: "sí", False: "no"}


def answered_before(tracker: Tracker, slots: list[str]) -> list[str]:
    """The form's slots the customer answered before this message, the latest first."""
    events = tracker.events
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    seen: list[str] = []
    for event in reversed(events[:last_user]):
        name = event.get("name")
        if event.get("event") == "slot" and name in slots and event.get("value") is not None and name not in seen:
            seen.append(name)
    return [s for s in seen if tracker.get_slot(s) is not None]


def corrected_value(slot: str, text: str, before: Any) -> Any:
    """The new value the correction gives; None: ask the slot again."""
    if slot in BOOL_SLOTS:
        said = free_answers().understood(slot, text)
        return said if said is not None else (not before if isinstance(before, bool) else None)
    if slot == "modulo":
        return normalise_module(text)
    if slot == "codigo_cliente":
        from actions.forms import code_candidates  # the one reading of codes

        codes = code_candidates(text)
        return codes[0] if codes else None
    return None  # a description is written again


def correction(tracker: Tracker, slots: list[str]) -> str | None:
    """The slot the customer's last message corrects, if it is a correction."""
    text = tracker.latest_message.get("text") or ""
    words = free_answers()
    if not words.is_correction(text):
        return None
    answered = answered_before(tracker, slots)
    named = words.named_slot(text, answered)
    return named or (answered[0] if answered else None)


def apply_correction(dispatcher: CollectingDispatcher, tracker: Tracker, slot: str) -> list[EventType]:
    text = tracker.latest_message.get("text") or ""
    value = corrected_value(slot, text, tracker.get_slot(slot))
    name = labels("campos").get(slot, slot)
    if value is None:
        dispatcher.utter_message(**message("correccion_pendiente", campo=name))
    else:
        dispatcher.utter_message(**message("correccion_aplicada", campo=name, valor=SHOWN.get(value, value)))
    events: list[EventType] = [SlotSet(slot, value)]
    pending = tracker.get_slot("requested_slot")
    if pending and pending != slot:
        events.append(SlotSet(pending, None))  # this message was the correction, not its answer
    if slot == "codigo_cliente":
        events.append(SlotSet("verificacion_cliente", None))  # a new code is verified again
    return events
