"""Yes/no answers in the customer's own words, in every form (respuestas_libres.yml)."""

import asyncio

import pytest

from actions.forms import ValidateConsultingForm, ValidateErrorForm
from actions.free_answers import free_answers
from tests.actions.conftest import make_tracker


@pytest.mark.parametrize(
    "slot, text, answer",
    [
        ("solo_registros_especificos", "pasa con todos", False),
        ("solo_registros_especificos", "no, con todos los pedidos", False),
        ("solo_registros_especificos", "solo con ese cliente", True),
        ("solo_registros_especificos", "Sólo con el TES 501", True),
        ("reproduce_en_estandar", "en el estándar también pasa", True),
        ("reproduce_en_estandar", "no, no se reproduce en el estándar", None),  # left to yes_or_no: a no
        ("reproduce_en_estandar", "solo en producción", False),
        ("acepta_terminos_consultoria", "sí, acepto", True),
        ("acepta_terminos_consultoria", "no acepto", False),
        ("reproduce_en_estandar", "el sistema es lento", None),
    ],
)
def test_phrases_of_each_question(slot, text, answer):
    assert free_answers().understood(slot, text) is answer


@pytest.mark.parametrize("text", ["ni idea", "No sé", "no lo sé, la verdad", "no lo he probado"])
def test_i_dont_know_is_recognised(text):
    assert free_answers().says_dont_know(text)


@pytest.mark.parametrize("text", ["no se reproduce", "no, no se reproduce en el estándar"])
def test_a_no_is_not_an_i_dont_know(text):
    assert not free_answers().says_dont_know(text)


def validate(form, slot, text, intent="consulta_funcional", value=None):
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    tracker = make_tracker(intent, text=text, slots={"requested_slot": slot})
    result = getattr(form(), f"validate_{slot}")(value if value is not None else text, dispatcher, tracker, {})
    return result[slot], [m["text"] for m in dispatcher.messages]


def test_i_dont_know_takes_the_default_and_says_it():
    assert validate(ValidateErrorForm, "reproduce_en_estandar", "ni idea")[0] is True
    value, said = validate(ValidateErrorForm, "solo_registros_especificos", "no sé", intent="negar", value=False)
    assert value is False and "con todos los registros" in said[0]
    value, said = validate(ValidateErrorForm, "reproduce_en_estandar", "no lo he probado", intent="negar", value=False)
    assert value is True and "como si también ocurriera en un entorno estándar" in said[0]


def test_the_consulting_terms_need_an_explicit_yes():
    value, said = validate(ValidateConsultingForm, "acepta_terminos_consultoria", "ni idea")
    assert value is None and "de forma explícita" in said[0]


def test_an_answer_not_understood_says_what_was_read():
    value, said = validate(ValidateErrorForm, "reproduce_en_estandar", "depende del día")
    assert value is None and said == [
        "No entendí «depende del día» como un sí o un no. Por favor, responda «sí» o «no»."
    ]


def test_a_free_answer_the_nlu_read_as_another_intent_is_still_taken(dispatcher):
    form = ValidateErrorForm()
    tracker = make_tracker(
        "reportar_error", text="pasa con todos los pedidos", slots={"requested_slot": "solo_registros_especificos"}
    )
    assert asyncio.run(form.extract_solo_registros_especificos(dispatcher, tracker, {})) == {
        "solo_registros_especificos": "pasa con todos los pedidos"
    }
    other = make_tracker(
        "reportar_error", text="me sale otro error", slots={"requested_slot": "solo_registros_especificos"}
    )
    assert asyncio.run(form.extract_solo_registros_especificos(dispatcher, other, {})) == {}
