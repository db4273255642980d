"""A question back in the middle of any form: answered, then the pending question again."""

import asyncio
import re

import pytest
from rasa_sdk.events import SlotSet

from protheus.action_server.actions.asks import AskSlot
from protheus.action_server.actions.forms import ValidateConsultingForm, ValidateErrorForm, ValidateUrgentForm
from protheus.action_server.actions.slots import AFTER_DIGRESSION, REQUESTED
from protheus.common.messages import question, resumed_question
from protheus.support.routing import routing_table
from tests.action_server.actions.conftest import form_tracker, make_tracker, run_form

QUESTIONS = [i for i in routing_table().intents() if routing_table().is_question(i)]
FORMS = {
    ValidateErrorForm: ["modulo", "descripcion_error", "reproduce_en_estandar", "solo_registros_especificos"],
    ValidateUrgentForm: ["codigo_cliente", "verificacion_cliente"],
    ValidateConsultingForm: ["acepta_terminos_consultoria"],
}
FORM_NAMES = {ValidateErrorForm: "formulario_error", ValidateUrgentForm: "formulario_urgente"}
FORM_NAMES[ValidateConsultingForm] = "formulario_consultoria"
CASES = [(form, slot, intent) for form, slots in FORMS.items() for slot in slots for intent in QUESTIONS]
BEFORE = {"modulo": "MATA410", "descripcion_error": "al grabar sale un error", "reproduce_en_estandar": True}


def earlier(form, slot) -> dict:
    slots = FORMS[form]
    return {s: BEFORE.get(s, "PRIME01") for s in slots[: slots.index(slot)]}


def test_the_questions_are_the_guideline_answers_without_a_handoff():
    assert set(QUESTIONS) == {
        "preguntar_si_es_bot",
        "consultar_alcance",
        "info_prime",
        "requisitos_prime",
        "horario_atencion",
        "info_consultoria",
    }
    assert not any(routing_table().get(i).hands_off for i in QUESTIONS)


@pytest.mark.parametrize("form, slot, intent", CASES, ids=[f"{f.__name__}-{s}-{i}" for f, s, i in CASES])
def test_a_question_in_any_form_is_answered_and_the_slot_stays_pending(domain_dict, form, slot, intent):
    tracker = form_tracker(
        "una pregunta", slot, {"pregunta_otra": 0.9}, intent=intent, form=FORM_NAMES[form], slots=earlier(form, slot)
    )
    events, said = run_form(form, tracker, domain_dict)
    assert [m.get("response") for m in said] == [f"utter_{intent}"]
    assert events == [SlotSet(slot, None), SlotSet(AFTER_DIGRESSION, True), SlotSet(REQUESTED, slot)]


@pytest.mark.parametrize("form, slot", [(f, s) for f, slots in FORMS.items() for s in slots])
def test_a_question_about_the_question_explains_it_then_asks_again(domain_dict, form, slot):
    tracker = form_tracker(
        "¿y eso qué significa?",
        slot,
        {"pregunta_sobre_la_pregunta": 0.9},
        form=FORM_NAMES[form],
        slots=earlier(form, slot),
    )
    events, said = run_form(form, tracker, domain_dict)
    assert said[0]["text"] and events[:2] == [SlotSet(slot, None), SlotSet(AFTER_DIGRESSION, True)]


@pytest.mark.parametrize("slot", [s for slots in FORMS.values() for s in slots])
def test_after_a_question_the_pending_one_is_said_another_way_once(dispatcher, slot):
    class Ask(AskSlot):
        def slot(self) -> str:
            return slot

    after = make_tracker("horario_atencion", slots={AFTER_DIGRESSION: True})
    assert asyncio.run(Ask().run(dispatcher, after, {})) == [SlotSet(AFTER_DIGRESSION, False)]
    again = resumed_question(slot)
    assert dispatcher.messages[0]["text"] == again["text"] != question(slot)["text"]
    assert again.get("buttons", []) == question(slot).get("buttons", [])
    asyncio.run(Ask().run(dispatcher, make_tracker("afirmar"), {}))
    assert dispatcher.messages[1]["text"] == question(slot)["text"]


def test_every_reply_to_an_answer_quotes_the_guideline_verbatim(guideline):
    import yaml

    from protheus.common.paths import PROJECT
    from tests.conftest import normalise

    texts = yaml.safe_load(PROJECT.messages.read_text(encoding="utf-8"))["respuestas_a_preguntas"]
    quoted = re.findall(r"«([^»]{30,})»", yaml.safe_dump(texts, allow_unicode=True, width=10_000))
    assert len(quoted) >= 10
    for passage in quoted:
        assert normalise(passage.rstrip(".")) in guideline, passage


def test_an_e_mail_read_as_a_question_about_prime_is_still_the_answer(domain_dict):
    # «facilitador.prime@…» reads like a question about Prime to the NLU.
    tracker = form_tracker(
        "facilitador.prime@example.com",
        "verificacion_cliente",
        {"valor": 0.99},
        intent="info_prime",
        form="formulario_urgente",
        slots={"codigo_cliente": "PRIME01"},
    )
    _, said = run_form(ValidateUrgentForm, tracker, domain_dict)
    assert not any(m.get("response") == "utter_info_prime" for m in said)
