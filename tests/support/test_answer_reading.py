"""From the answer reader's probabilities to a decision: values only when stated, doubts asked
back, the form left only when the customer surely means it (protheus.support.answer_reading)."""

import pytest

from protheus.common.answer_examples import ABOUT, READINGS
from protheus.common.vocabulary import Kind, Theme
from protheus.support.answer_reading import ASK_TO_LEAVE, SURE_ANSWER, SURE_TO_LEAVE, read

REQUESTS = {"solicitar_capacitacion", "consulta_sql", "hablar_con_humano"}


def parse(text, question, scores, intent="nlu_fallback", ranking=None, about=None, others=None):
    readings = {question: scores, **(others or {})}
    if about:
        readings[ABOUT] = about
    return {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking or [(intent, 0.9)]],
        READINGS: readings,
    }


def reading(text, question, scores, answered=None, **kwargs):
    return read(parse(text, question, scores, **kwargs), question, answered or {}, REQUESTS.__contains__)


def test_a_sure_yes_is_an_answer_and_an_unsure_one_is_asked_back():
    sure = reading("falla igualito en la base limpia", "reproduce_en_estandar", {"si": 0.9, "no": 0.1})
    assert (sure.kind, sure.value) == (Kind.ANSWER, True)
    unsure = reading("creo que sí", "reproduce_en_estandar", {"si": SURE_ANSWER - 0.01, "no_sabe": 0.3})
    assert (unsure.kind, unsure.value) == (Kind.UNSURE, True)


def test_a_value_is_taken_only_when_the_text_has_its_shape():
    found = reading("nuestro código de cliente es el STD01, gracias", "codigo_cliente", {"valor": 0.97})
    assert (found.kind, found.value) == (Kind.ANSWER, "STD01")
    words = reading("¿es el mismo código que uso para entrar al portal?", "codigo_cliente", {"valor": 0.9})
    assert words.kind is Kind.OTHER and words.missing_value and words.value is None


def test_a_yes_no_label_under_a_question_that_wants_a_value_is_no_answer():
    assert reading("sí", "codigo_cliente", {"si": 0.8}).kind is Kind.OTHER


@pytest.mark.parametrize(
    "label, theme",
    [("pregunta_costo", Theme.COST), ("pregunta_proceso", Theme.PROCESS), ("pregunta_otra", Theme.OTHER)],
)
def test_a_question_back_keeps_its_theme_and_intent(label, theme):
    found = reading("¿y eso cuánto cuesta?", "acepta_terminos_consultoria", {label: 0.8}, intent="info_consultoria")
    assert (found.kind, found.theme, found.intent) == (Kind.QUESTION, theme, "info_consultoria")


def test_leaving_the_form_needs_a_sure_reading_and_a_request_to_leave_for():
    text = "dejá eso; necesitamos que alguien capacite a la contadora nueva"
    ranking = [("cancelar", 0.5), ("solicitar_capacitacion", 0.4)]
    sure = reading(text, "descripcion_error", {"nueva_solicitud": 0.9}, intent="cancelar", ranking=ranking)
    assert (sure.kind, sure.intent) == (Kind.NEW_REQUEST, "solicitar_capacitacion")
    doubt = reading(
        text, "descripcion_error", {"nueva_solicitud": SURE_TO_LEAVE - 0.1}, intent="cancelar", ranking=ranking
    )
    assert (doubt.kind, doubt.leave_for) == (Kind.UNSURE, "solicitar_capacitacion")  # asked first
    weak = reading(text, "descripcion_error", {"nueva_solicitud": ASK_TO_LEAVE - 0.1, "valor": 0.3})
    assert weak.kind is Kind.OTHER
    nothing = reading("quiero otra cosa", "descripcion_error", {"nueva_solicitud": 0.9}, intent="saludo")
    assert nothing.kind is Kind.OTHER
    cancel = reading("mejor déjelo así", "modulo", {"cancelar": SURE_TO_LEAVE - 0.1})
    assert (cancel.kind, cancel.leave_for) == (Kind.UNSURE, "cancelar")


def test_a_correction_changes_the_answer_it_is_about():
    answered = {"modulo": "SIGAFAT", "reproduce_en_estandar": True, "solo_registros_especificos": False}
    text = "uy no, espere: lo revisé mejor y pasa solo con el cliente 000123"
    found = reading(
        text,
        "codigo_cliente",
        {"correccion": 0.9},
        answered,
        about={"solo_registros_especificos": 0.8, "reproduce_en_estandar": 0.1},
        others={"solo_registros_especificos": {"si": 0.9}},
    )
    assert (found.kind, found.corrects, found.value) == (Kind.CORRECTION, "solo_registros_especificos", True)
    module = reading(
        "antes le dije facturación pero es compras",
        "reproduce_en_estandar",
        {"correccion": 0.8},
        answered,
        about={"modulo": 0.9},
    )
    assert (module.corrects, module.value) == ("modulo", "SIGACOM")


def test_a_correction_without_content_turns_the_last_yes_no_around():
    answered = {"modulo": "SIGAFAT", "reproduce_en_estandar": True}
    found = reading("me equivoqué en lo anterior", "solo_registros_especificos", {"correccion": 0.9}, answered)
    assert (found.corrects, found.value) == ("reproduce_en_estandar", False)


@pytest.mark.parametrize(
    "text, intent, kind, value",
    [
        ("/afirmar", "afirmar", Kind.ANSWER, True),
        ("/negar", "negar", Kind.ANSWER, False),
        ("/cancelar", "cancelar", Kind.CANCEL, None),
        ("/hablar_con_humano", "hablar_con_humano", Kind.NEW_REQUEST, None),
    ],
)
def test_a_button_is_read_by_its_intent(text, intent, kind, value):
    message = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": []}
    found = read(message, "reproduce_en_estandar", {}, REQUESTS.__contains__)
    assert (found.kind, found.value) == (kind, value)


def test_a_yes_or_no_about_the_other_triage_question_records_nothing():
    # «no, con todos los pedidos» under «¿se reproduce en un entorno estándar?»: about the records.
    about_records = {"solo_registros_especificos": 0.97, "reproduce_en_estandar": 0.03}
    found = reading("no, con todos los pedidos", "reproduce_en_estandar", {"no": 0.95}, about=about_records)
    assert found.kind is Kind.OTHER and found.value is None
    about_standard = {"reproduce_en_estandar": 0.9, "solo_registros_especificos": 0.1}
    found = reading("no, en el estándar no pasa", "reproduce_en_estandar", {"no": 0.95}, about=about_standard)
    assert (found.kind, found.value) == (Kind.ANSWER, False)
    found = reading("sí, en el estándar también", "solo_registros_especificos", {"si": 0.9}, about=about_standard)
    assert found.kind is Kind.OTHER


def test_a_bare_yes_or_no_is_always_an_answer_whatever_its_about_says():
    # Found by the deployment test: a bare «no» under the records question, which `sobre` puts under
    # the standard-environment question because most bare answers were written there.
    about = {"reproduce_en_estandar": 0.83, "acepta_terminos_consultoria": 0.17}
    found = reading("no", "solo_registros_especificos", {"no": 0.97}, about=about)
    assert (found.kind, found.value) == (Kind.ANSWER, False)
