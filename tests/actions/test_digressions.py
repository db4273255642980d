"""A question in the middle of any form: its guideline text, then the pending question again."""

import asyncio

import pytest
from rasa_sdk.events import SlotSet

from actions.asks import AskSlot
from actions.digressions import AFTER_DIGRESSION
from actions.forms import ValidateConsultingForm, ValidateErrorForm, ValidateUrgentForm
from protheus.messages import question, resumed_question
from protheus.routing import routing_table
from tests.actions.conftest import make_tracker

QUESTIONS = [i for i in routing_table().intents() if routing_table().is_question(i)]
FORMS = {
    ValidateErrorForm: ["modulo", "descripcion_error", "reproduce_en_estandar", "solo_registros_especificos"],
    ValidateUrgentForm: ["codigo_cliente", "verificacion_cliente"],
    ValidateConsultingForm: ["acepta_terminos_consultoria"],
}
CASES = [(form, slot, intent) for form, slots in FORMS.items() for slot in slots for intent in QUESTIONS]


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
def test_a_question_in_any_form_is_answered_and_the_slot_stays_pending(dispatcher, domain_dict, form, slot, intent):
    # The domain's from_text mapping may already have taken the question as the answer.
    tracker = make_tracker(intent, text="una pregunta", slots={"requested_slot": slot, slot: "una pregunta"})
    events = asyncio.run(form().run(dispatcher, tracker, domain_dict))
    assert [m["response"] for m in dispatcher.messages] == [f"utter_{intent}"]
    assert events == [SlotSet(slot, None), SlotSet(AFTER_DIGRESSION, True)]


def test_an_answer_is_still_an_answer(dispatcher, domain_dict):
    tracker = make_tracker("afirmar", text="sí", slots={"requested_slot": "reproduce_en_estandar"})
    events = asyncio.run(ValidateErrorForm().run(dispatcher, tracker, domain_dict))
    assert SlotSet(AFTER_DIGRESSION, True) not in events


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


@pytest.mark.parametrize("form, slot", [(f, s) for f, slots in FORMS.items() for s in slots])
def test_why_a_question_is_asked_is_explained_then_it_is_asked_again(dispatcher, domain_dict, form, slot):
    tracker = make_tracker("fuera_de_dominio", text="¿y por qué me pregunta eso?", slots={"requested_slot": slot})
    events = asyncio.run(form().run(dispatcher, tracker, domain_dict))
    assert dispatcher.messages[0]["text"].startswith("Se lo pregunto")
    assert events == [SlotSet(slot, None), SlotSet(AFTER_DIGRESSION, True)]


def test_the_reasons_quote_the_guideline_verbatim(guideline):
    import re

    from protheus.messages import message
    from tests.conftest import normalise

    quoted = [
        passage
        for slot in [s for slots in FORMS.values() for s in slots]
        for passage in re.findall(r"«([^»]{40,})»", message(f"por_que_{slot}")["text"])
    ]
    assert len(quoted) == 3
    for passage in quoted:
        assert normalise(passage.replace("\\\\", "")) in guideline, passage


def test_an_answer_that_reads_like_a_question_is_an_answer(dispatcher, domain_dict):
    # «facilitador.prime@…» reads like a question about Prime to the NLU.
    tracker = make_tracker(
        "info_prime",
        text="facilitador.prime@example.com",
        slots={"requested_slot": "verificacion_cliente", "codigo_cliente": "PRIME01"},
    )
    asyncio.run(ValidateUrgentForm().run(dispatcher, tracker, domain_dict))
    assert not any(m.get("response") == "utter_info_prime" for m in dispatcher.messages)
