"""Corrections inside the forms: the slot named, else the last one answered, changes."""

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.forms import ValidateConsultingForm, ValidateErrorForm, ValidateUrgentForm


def tracker(text: str, answered: dict, pending: str) -> Tracker:
    events = [{"event": "slot", "name": name, "value": value} for name, value in answered.items()]
    events += [{"event": "user", "text": text, "parse_data": {"intent": {"name": "nlu_fallback"}, "entities": []}}]
    return Tracker(
        sender_id="prueba",
        slots={**answered, "requested_slot": pending, pending: text},  # the mapping took it as the answer
        latest_message={"text": text, "intent": {"name": "nlu_fallback"}, "entities": []},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": "formulario_error"},
        latest_action_name="action_listen",
    )


ERROR_ANSWERS = {"modulo": "MATA410", "descripcion_error": "al grabar sale un error", "reproduce_en_estandar": True}


def run(form, text, answered, pending, domain_dict):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(form().run(dispatcher, tracker(text, answered, pending), domain_dict))
    return events, [m["text"] for m in dispatcher.messages]


def test_the_issue_example_corrects_the_earlier_yes_no(domain_dict):
    events, said = run(
        ValidateErrorForm,
        "perdón, me equivoqué, en el estándar NO pasa",
        ERROR_ANSWERS,
        "solo_registros_especificos",
        domain_dict,
    )
    assert events == [SlotSet("reproduce_en_estandar", False), SlotSet("solo_registros_especificos", None)]
    assert said == ["Corregido: si ocurre en un entorno estándar ahora es «no»."]


def test_a_slot_named_takes_the_value_given(domain_dict):
    events, said = run(
        ValidateErrorForm, "cambie el módulo a SIGAFIN", ERROR_ANSWERS, "solo_registros_especificos", domain_dict
    )
    assert events[0] == SlotSet("modulo", "SIGAFIN") and "el módulo ahora es «SIGAFIN»" in said[0]


def test_without_a_slot_named_the_last_answer_is_corrected(domain_dict):
    answered = {"modulo": "MATA410", "descripcion_error": "al grabar sale un error"}
    events, said = run(
        ValidateErrorForm,
        "me equivoqué",
        {**answered, "reproduce_en_estandar": True},
        "solo_registros_especificos",
        domain_dict,
    )
    assert events[0] == SlotSet("reproduce_en_estandar", False)  # the opposite yes/no
    events, said = run(ValidateErrorForm, "no, quise decir facturación", answered, "reproduce_en_estandar", domain_dict)
    assert events[0] == SlotSet("descripcion_error", None) and "corrijo la descripción del error" in said[0]


def test_a_corrected_code_is_verified_again(domain_dict):
    answered = {"codigo_cliente": "STD01", "verificacion_cliente": "verificado"}
    events, said = run(ValidateUrgentForm, "me equivoqué de código, es PRIME01", answered, "modulo", domain_dict)
    assert SlotSet("codigo_cliente", "PRIME01") in events and SlotSet("verificacion_cliente", None) in events


def test_the_consulting_acceptance_can_be_corrected(domain_dict):
    events, _ = run(
        ValidateConsultingForm,
        "me equivoqué, no acepto",
        {"acepta_terminos_consultoria": True},
        "acepta_terminos_consultoria",
        domain_dict,
    )
    assert events[0] == SlotSet("acepta_terminos_consultoria", False)


@pytest.mark.parametrize("text", ["sí", "no", "STD01", "facturación"])
def test_an_answer_is_not_a_correction(text, domain_dict):
    events, said = run(ValidateErrorForm, text, ERROR_ANSWERS, "solo_registros_especificos", domain_dict)
    assert not any(s.startswith(("Corregido", "De acuerdo, corrijo")) for s in said)


def test_before_the_last_question_the_customer_sees_what_will_be_sent():
    from actions.asks import AskCustomerCode

    slots = {**ERROR_ANSWERS, "solo_registros_especificos": False, "requested_slot": "codigo_cliente"}
    t = tracker("no", slots, "codigo_cliente")
    t.events.insert(0, {"event": "user", "text": "x", "parse_data": {"intent": {"name": "reportar_error"}}})
    t.active_loop = {"name": "formulario_error"}
    dispatcher = CollectingDispatcher()
    asyncio.run(AskCustomerCode().run(dispatcher, t, {}))
    summary, ask = (m["text"] for m in dispatcher.messages)
    assert summary.startswith("Antes de registrar, esto es lo que enviaré a Soporte Estándar:")
    assert "modulo: MATA410" in summary and "reproduce en estandar: sí" in summary
    assert ask == "¿Cuál es su código de cliente?"
    t.slots["reproduce_en_estandar"] = False  # corrected: the decision follows
    dispatcher = CollectingDispatcher()
    asyncio.run(AskCustomerCode().run(dispatcher, t, {}))
    assert "enviaré a Consultoría Remota" in dispatcher.messages[0]["text"]


def test_before_the_consulting_terms_the_customer_sees_what_will_be_sent():
    from actions.asks import AskConsultingTermsAccepted

    slots = {**ERROR_ANSWERS, "reproduce_en_estandar": False, "solo_registros_especificos": False}
    t = tracker("no", slots, "acepta_terminos_consultoria")
    t.events.insert(0, {"event": "user", "text": "x", "parse_data": {"intent": {"name": "reportar_error"}}})
    dispatcher = CollectingDispatcher()
    asyncio.run(AskConsultingTermsAccepted().run(dispatcher, t, {}))
    summary, terms = (m["text"] for m in dispatcher.messages)
    assert summary.startswith("Antes de registrar, esto es lo que enviaré a Consultoría Remota:")
    assert "100% facturado" in terms
