"""The reading of the customer's last message in the light of the pending question
(protheus.answer_reading), with what the conversation adds: the form's earlier answers (a
correction names one of them), and an answer waiting for the customer's confirmation (then the
message is first read as a yes or no to «Entiendo que…, ¿es así?»).
"""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Tracker

from actions.slots import REQUESTED, TO_CONFIRM
from protheus.answer_reading import Reading, read
from protheus.nlu.answer_examples import reader_question
from protheus.routing import routing_table
from protheus.vocabulary import Kind, Question


def is_request(intent: str) -> bool:
    """An intent the bot hands off (a request), as opposed to a question or a courtesy."""
    route = routing_table().get(intent)
    return route is not None and route.hands_off


def answered_before(tracker: Tracker, slots: list[str]) -> dict[str, Any]:
    """The form's questions asked before the pending one that have a value, in the form's order."""
    pending = tracker.get_slot(REQUESTED)
    earlier = slots[: slots.index(pending)] if pending in slots else slots
    return {slot: tracker.get_slot(slot) for slot in earlier if tracker.get_slot(slot) is not None}


def to_confirm(tracker: Tracker) -> tuple[str, Any] | None:
    """The question and value of an answer asked back for confirmation, if one is waiting."""
    raw = tracker.get_slot(TO_CONFIRM)
    try:
        waiting = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return None
    if not isinstance(waiting, dict) or waiting.get("pregunta") != tracker.get_slot(REQUESTED):
        return None
    return waiting["pregunta"], waiting.get("valor")


def confirmation(question: str, value: Any) -> str:
    return json.dumps({"pregunta": question, "valor": value}, ensure_ascii=False)


def pending_reading(tracker: Tracker, answered: dict[str, Any]) -> Reading:
    """What the last message is for the pending question (`answered`: the earlier answers a
    correction may change). While an unsure answer waits for confirmation, a yes confirms it and
    a no asks the question again; anything else is read as a new answer to the question."""
    slot = tracker.get_slot(REQUESTED)
    question = reader_question(slot)
    parse = tracker.latest_message or {}
    waiting = to_confirm(tracker)
    if waiting is not None:
        reply = read(parse, Question.YES_OR_NO, {}, is_request)
        if reply.kind is Kind.ANSWER:
            confirmed = reply.value is True
            return Reading(Kind.ANSWER if confirmed else Kind.REPEAT, slot, waiting[1] if confirmed else None)
    return read(parse, question, answered, is_request)
