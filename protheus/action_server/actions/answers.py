"""The reading of the customer's last message in the light of the pending question
(protheus.support.answer_reading), with what the conversation adds: the form's earlier answers (a
correction names one of them), and an answer waiting for the customer's confirmation (then the
message is first read as a yes or no to «Entiendo que…, ¿es así?»).
"""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Tracker

from protheus.action_server.actions.slots import REQUESTED, TO_CONFIRM
from protheus.common.answer_examples import reader_question
from protheus.common.vocabulary import Kind, Question
from protheus.support.answer_reading import CANCEL, Reading, read
from protheus.support.routing import routing_table


def is_request(intent: str) -> bool:
    """An intent the bot hands off (a request), as opposed to a question or a courtesy."""
    route = routing_table().get(intent)
    return route is not None and route.hands_off


def answered_before(tracker: Tracker, slots: list[str]) -> dict[str, Any]:
    """The form's questions asked before the pending one that have a value, in the form's order."""
    pending = tracker.get_slot(REQUESTED)
    earlier = slots[: slots.index(pending)] if pending in slots else slots
    return {slot: tracker.get_slot(slot) for slot in earlier if tracker.get_slot(slot) is not None}


def to_confirm(tracker: Tracker) -> dict[str, Any] | None:
    """What waits for the customer's yes, if anything: {"pregunta", "valor"} for an answer asked
    back, {"pregunta", "salir"} for leaving the form (CANCEL or the new request's intent)."""
    raw = tracker.get_slot(TO_CONFIRM)
    try:
        waiting = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return None
    if not isinstance(waiting, dict) or waiting.get("pregunta") != tracker.get_slot(REQUESTED):
        return None
    return waiting


def confirmation(question: str, value: Any = None, leave_for: str | None = None) -> str:
    waiting = {"pregunta": question, "salir": leave_for} if leave_for else {"pregunta": question, "valor": value}
    return json.dumps(waiting, ensure_ascii=False)


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
        if reply.kind is Kind.ANSWER and reply.value is not True:
            return Reading(Kind.REPEAT, slot)
        if reply.kind is Kind.ANSWER and waiting.get("salir") == CANCEL:
            return Reading(Kind.CANCEL, slot)
        if reply.kind is Kind.ANSWER and waiting.get("salir"):
            return Reading(Kind.NEW_REQUEST, slot, intent=waiting["salir"])
        if reply.kind is Kind.ANSWER:
            return Reading(Kind.ANSWER, slot, waiting.get("valor"))
    return read(parse, question, answered, is_request)
