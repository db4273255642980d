"""The held-out answers (evaluation/respuestas, never trained on), each read by the served model and
run through the form validation action it was written for, with a tracker like the real one.

No answer may fill a slot its label says it does not give: a «no sé», a question back, a request
to repeat or anything else fills nothing; an answer fills only the question asked; a correction
only the question it corrects.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from protheus.action_server.actions.forms import (
    ValidateConsultingForm,
    ValidateErrorForm,
    ValidateResumeForm,
    ValidateUrgentForm,
)
from protheus.common.answer_examples import LabelledAnswer, read_answers
from protheus.common.paths import PROJECT
from protheus.common.vocabulary import Kind, Question
from protheus.trainer.answer_evaluation import earlier_answers, score

pytestmark = pytest.mark.server

ANSWER_SLOTS = {q.value for q in Question if q is not Question.YES_OR_NO} | {"retomar_solicitud"}
OPENERS = {"error": "reportar_error", "urgente": "atencion_urgente", "consultoria": "solicitar_capacitacion"}
# Combinations that cannot happen: nothing comes before the module, nor before a yes/no the bot asks.
IMPOSSIBLE = {(Question.MODULE.value, Kind.CORRECTION.value)}


def form_of(example: LabelledAnswer) -> tuple[type, str, str]:
    """The validation action, form and slot the answer was written for."""
    if example.question == Question.YES_OR_NO:
        return ValidateResumeForm, "formulario_retomar", "retomar_solicitud"
    if example.question == Question.ACCEPTS_TERMS:
        return ValidateConsultingForm, "formulario_consultoria", example.question
    if example.context == "urgente":
        return ValidateUrgentForm, "formulario_urgente", example.question
    return ValidateErrorForm, "formulario_error", example.question


def tracker_of(example: LabelledAnswer, parse: dict, form: str, slot: str) -> Tracker:
    answered = earlier_answers(example)
    opener = OPENERS.get(example.context, "reportar_error")
    events = [{"event": "user", "text": "…", "parse_data": {"intent": {"name": opener, "confidence": 1.0}}}]
    events += [{"event": "active_loop", "name": form}]
    events += [{"event": "slot", "name": k, "value": v} for k, v in answered.items()]
    events += [{"event": "user", "text": example.text, "parse_data": parse, "metadata": {}}]
    return Tracker(
        sender_id="reservadas",
        slots={**answered, "requested_slot": slot},
        latest_message=parse,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": form},
        latest_action_name="action_listen",
    )


def filled(events: list[dict]) -> set[str]:
    """The answer slots given a value (going on unverified is no value the customer gave)."""
    return {
        e["name"]
        for e in events
        if e.get("event") == "slot" and e["name"] in ANSWER_SLOTS and e["value"] and e["value"] != "no_verificado"
    }


def allowed(example: LabelledAnswer, slot: str) -> set[str]:
    """The slots the label says the message gives a value for."""
    if example.kind == Kind.ANSWER:
        return {slot, Question.VERIFICATION.value} if slot == Question.CUSTOMER_CODE else {slot}
    if example.kind == Kind.CORRECTION and example.corrects:
        return {example.corrects}
    return set()


@pytest.fixture(scope="module")
def heldout(bot):
    examples = read_answers([PROJECT.heldout_answers])
    return examples, [bot.parse(e.text) for e in examples]


@pytest.fixture
def verified_customers(db, monkeypatch):
    from protheus.action_server.actions import verification
    from protheus.db.customers import CustomerStore

    store = CustomerStore(db)
    store.seed_demo_customers()
    monkeypatch.setattr(verification, "customers", lambda: store)


def test_every_question_and_kind_has_held_out_cases():
    examples = read_answers([PROJECT.heldout_answers])
    seen = Counter((e.question, e.kind) for e in examples)
    missing = [
        (q.value, k)
        for q in Question
        for k in Kind.labelled()
        if (q.value, k) not in IMPOSSIBLE and not (q is Question.YES_OR_NO and k == Kind.CORRECTION)
        if seen[(q.value, k)] == 0
    ]
    assert missing == [] and len(examples) >= 1000


def test_no_held_out_answer_fills_a_slot_its_label_does_not_give(heldout, domain, verified_customers):
    examples, parses = heldout
    domain_dict = domain.as_dict()
    wrong = []
    for example, parse in zip(examples, parses, strict=True):
        form, name, slot = form_of(example)
        dispatcher = CollectingDispatcher()
        events = asyncio.run(form().run(dispatcher, tracker_of(example, parse, name, slot), domain_dict))
        extra = filled(events) - allowed(example, slot)
        if extra:
            wrong.append((example.question, example.label, example.text, sorted(extra)))
    assert wrong == [], "\n".join(map(str, wrong))


def test_the_held_out_answers_are_read_as_the_readme_says(heldout):
    from protheus.support.answer_reading import read
    from protheus.trainer.answer_evaluation import is_request, read_all

    examples, parses = heldout
    result = score(examples, read_all(examples, parses, read))
    assert result["salidas_no_pedidas"] <= 2 and result["pregunta_abierta"] >= 0.98
    assert (result["correctas"] + result["confirmadas_bien"]) / result["n"] >= 0.95
    assert is_request("solicitar_capacitacion") and not is_request("horario_atencion")
