"""What the forms do with each kind of message written under a pending question: the reading
(protheus.support.answer_reading) drives the validation actions (protheus/action_server/actions/forms.py)."""

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet

from protheus.action_server.actions.forms import ValidateConsultingForm, ValidateErrorForm, ValidateUrgentForm
from protheus.action_server.actions.handoff import collected_slots, summary
from protheus.action_server.actions.slots import (
    AFTER_DIGRESSION,
    HELPED,
    NEW_TOPIC,
    PENDING,
    REQUESTED,
    TO_CONFIRM,
    UNKNOWN,
    URGENT,
)
from tests.action_server.actions.conftest import form_tracker, run_form

ERROR_ANSWERS = {"modulo": "MATA410", "descripcion_error": "al grabar el pedido sale un error"}
BEFORE_RECORDS = {**ERROR_ANSWERS, "reproduce_en_estandar": True}
BEFORE_CODE = {**BEFORE_RECORDS, "solo_registros_especificos": False}


def slots_set(events) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def texts(said) -> str:
    return " ".join(m.get("text") or m.get("response") or "" for m in said)


def test_an_answer_fills_the_slot_and_the_next_question_is_asked(domain_dict):
    tracker = form_tracker(
        "falla igualito en la base limpia", "reproduce_en_estandar", {"si": 0.95}, slots=ERROR_ANSWERS
    )
    events, said = run_form(ValidateErrorForm, tracker, domain_dict)
    found = slots_set(events)
    assert found["reproduce_en_estandar"] is True and found[REQUESTED] == "solo_registros_especificos"
    assert said == []


def test_an_unsure_answer_is_asked_back_and_a_yes_records_it(domain_dict):
    tracker = form_tracker("creo que igual", "reproduce_en_estandar", {"si": 0.45, "no_sabe": 0.4}, slots=ERROR_ANSWERS)
    events, said = run_form(ValidateErrorForm, tracker, domain_dict)
    assert "Entiendo que **sí** ocurre en un entorno estándar actualizado, ¿es así?" in texts(said)
    assert [b["title"] for b in said[0]["buttons"]] == ["Sí", "No"]
    found = slots_set(events)
    assert found["reproduce_en_estandar"] is None and found[REQUESTED] == "reproduce_en_estandar"

    waiting = {**ERROR_ANSWERS, TO_CONFIRM: found[TO_CONFIRM]}
    confirmed = form_tracker(
        "sí", "reproduce_en_estandar", {"no": 0.1}, slots=waiting, others={"si_o_no": {"si": 0.97}}
    )
    events, _ = run_form(ValidateErrorForm, confirmed, domain_dict)
    assert slots_set(events)["reproduce_en_estandar"] is True and slots_set(events)[TO_CONFIRM] is None

    denied = form_tracker("no", "reproduce_en_estandar", {"no": 0.9}, slots=waiting, others={"si_o_no": {"no": 0.95}})
    events, _ = run_form(ValidateErrorForm, denied, domain_dict)
    assert slots_set(events)["reproduce_en_estandar"] is None and slots_set(events)[AFTER_DIGRESSION] is True


def test_i_dont_know_gets_help_then_goes_on_with_the_value_unknown(domain_dict):
    text = "no sé, no lo hemos probado en un estándar"
    first = form_tracker(text, "reproduce_en_estandar", {"no_sabe": 0.97}, slots=ERROR_ANSWERS)
    events, said = run_form(ValidateErrorForm, first, domain_dict)
    assert "«Haber simulado la ocurrencia en un entorno de prueba, actualizado y estándar" in texts(said)
    assert slots_set(events)[HELPED] == "reproduce_en_estandar"
    assert slots_set(events)["reproduce_en_estandar"] is None  # never a yes or a no

    again = form_tracker(
        "ni idea", "reproduce_en_estandar", {"no_sabe": 0.99}, slots={**ERROR_ANSWERS, HELPED: "reproduce_en_estandar"}
    )
    events, said = run_form(ValidateErrorForm, again, domain_dict)
    found = slots_set(events)
    assert "«el cliente no lo sabe»" in texts(said) and "No lo envío a Consultoría Remota" in texts(said)
    assert found["reproduce_en_estandar"] is None and found[UNKNOWN] == ["reproduce_en_estandar"]
    assert found[REQUESTED] == "solo_registros_especificos"  # the form goes on without it


def test_an_unknown_answer_is_said_in_the_summary_and_does_not_route_to_consulting(domain_dict):
    slots = {**ERROR_ANSWERS, "solo_registros_especificos": False, UNKNOWN: ["reproduce_en_estandar"]}
    tracker = form_tracker("STD01", "codigo_cliente", {"valor": 0.99}, slots=slots)
    collected = collected_slots(tracker, "reportar_error")
    assert "reproduce en estandar: el cliente no lo sabe" in summary("reportar_error", collected)
    from protheus.support.routing import routing_table

    assert routing_table().get("reportar_error").decide(collected, None, False).value == "soporte_estandar"


def test_an_unknown_code_goes_on_unverified(domain_dict):
    tracker = form_tracker(
        "no me acuerdo",
        "codigo_cliente",
        {"no_sabe": 0.95},
        form="formulario_urgente",
        slots={HELPED: "codigo_cliente"},
    )
    events, _ = run_form(ValidateUrgentForm, tracker, domain_dict)
    found = slots_set(events)
    assert found[UNKNOWN] == ["codigo_cliente"] and found["verificacion_cliente"] == "no_verificado"
    assert found[REQUESTED] is None  # nothing left to ask


def test_the_consulting_terms_are_never_accepted_or_refused_by_an_i_dont_know(domain_dict):
    tracker = form_tracker(
        "no sé",
        "acepta_terminos_consultoria",
        {"no_sabe": 0.9},
        form="formulario_consultoria",
        slots={HELPED: "acepta_terminos_consultoria"},
    )
    events, said = run_form(ValidateConsultingForm, tracker, domain_dict)
    assert "de forma explícita" in texts(said)
    assert slots_set(events)["acepta_terminos_consultoria"] is None and UNKNOWN not in slots_set(events)


@pytest.mark.parametrize(
    "label, expected",
    [
        ("pregunta_costo", "100% facturado"),
        ("pregunta_proceso", "disponibilidad de la agenda del cliente"),
        ("pregunta_sobre_la_pregunta", "Se lo pregunto porque"),
    ],
)
def test_a_question_about_the_terms_is_answered_never_taken_for_a_refusal(domain_dict, label, expected):
    tracker = form_tracker(
        "no entiendo, ¿me van a cobrar o no?",
        "acepta_terminos_consultoria",
        {label: 0.9},
        form="formulario_consultoria",
        intent="negar",
    )
    events, said = run_form(ValidateConsultingForm, tracker, domain_dict)
    assert expected in texts(said)
    found = slots_set(events)
    assert found["acepta_terminos_consultoria"] is None and found[AFTER_DIGRESSION] is True
    assert found[REQUESTED] == "acepta_terminos_consultoria"


def test_a_guideline_question_is_answered_with_its_text(domain_dict):
    tracker = form_tracker(
        "¿en qué horario atienden?",
        "solo_registros_especificos",
        {"pregunta_otra": 0.9},
        intent="horario_atencion",
        slots=BEFORE_RECORDS,
    )
    events, said = run_form(ValidateErrorForm, tracker, domain_dict)
    assert [m.get("response") for m in said] == ["utter_horario_atencion"]
    assert slots_set(events)[REQUESTED] == "solo_registros_especificos"


def test_a_product_question_is_kept_for_after_the_form_not_registered_instead_of_it(domain_dict):
    tracker = form_tracker(
        "¿qué es un TES?",
        "solo_registros_especificos",
        {"pregunta_otra": 0.9},
        intent="consulta_funcional",
        slots=BEFORE_RECORDS,
    )
    events, said = run_form(ValidateErrorForm, tracker, domain_dict)
    assert "Al terminar esta solicitud le ofrezco registrarla aparte" in texts(said)
    found = slots_set(events)
    assert found[PENDING] == [{"tipo": "consulta", "intencion": "consulta_funcional", "texto": "¿qué es un TES?"}]
    assert NEW_TOPIC not in found and found[REQUESTED] == "solo_registros_especificos"


def test_a_correction_at_a_later_question_is_applied_and_said_back(domain_dict):
    slots = {**ERROR_ANSWERS, "reproduce_en_estandar": True, "solo_registros_especificos": False}
    tracker = form_tracker(
        "uy no, espere: lo revisé mejor y pasa solo con el cliente 000123",
        "codigo_cliente",
        {"correccion": 0.9},
        slots=slots,
        about={"solo_registros_especificos": 0.9},
        others={"solo_registros_especificos": {"si": 0.9}},
    )
    events, said = run_form(ValidateErrorForm, tracker, domain_dict)
    assert "Corregido: si ocurre solo con determinados registros ahora es «sí»." in texts(said)
    found = slots_set(events)
    assert found["solo_registros_especificos"] is True and found[REQUESTED] == "codigo_cliente"


def test_a_corrected_code_is_verified_again(domain_dict):
    slots = {"codigo_cliente": "PRIME01"}
    tracker = form_tracker(
        "perdón, el código que le di está mal, es STD01",
        "verificacion_cliente",
        {"correccion": 0.9},
        slots=slots,
        form="formulario_urgente",
        about={"codigo_cliente": 0.9},
    )
    events, said = run_form(ValidateUrgentForm, tracker, domain_dict)
    found = slots_set(events)
    assert found["codigo_cliente"] == "STD01" and found["verificacion_cliente"] is None
    assert found[REQUESTED] == "verificacion_cliente" and "«STD01»" in texts(said)


def test_a_correction_during_the_terms_that_no_longer_leads_to_consulting_leaves_them(domain_dict):
    slots = {**ERROR_ANSWERS, "reproduce_en_estandar": False, "solo_registros_especificos": False}
    tracker = form_tracker(
        "antes de aceptar: me equivoqué, en el estándar también falla",
        "acepta_terminos_consultoria",
        {"correccion": 0.9},
        slots=slots,
        form="formulario_consultoria",
        about={"reproduce_en_estandar": 0.9},
        others={"reproduce_en_estandar": {"si": 0.9}},
        intent="reportar_error",
    )
    tracker.events.insert(0, {"event": "user", "text": "error", "parse_data": {"intent": {"name": "reportar_error"}}})
    events, _ = run_form(ValidateConsultingForm, tracker, domain_dict)
    assert slots_set(events)["reproduce_en_estandar"] is True
    assert ActiveLoop(None) in events  # action_derivar then routes it to Standard Support


def test_a_cancellation_in_the_customers_words_leaves_the_form(domain_dict):
    tracker = form_tracker(
        "mejor déjelo así, ya lo resolvimos",
        "descripcion_error",
        {"cancelar": 0.9},
        slots={"modulo": "MATA410"},
        intent="agradecimiento",
    )
    events, said = run_form(ValidateErrorForm, tracker, domain_dict)
    assert "cancelé la solicitud" in texts(said)
    assert SlotSet(NEW_TOPIC, "cancelar") in events and ActiveLoop(None) in events


def test_a_new_request_keeps_the_unfinished_one_for_later(domain_dict):
    text = "sabés qué, dejá eso; lo que necesitamos es que alguien le enseñe activo fijo a la contadora nueva"
    tracker = form_tracker(
        text,
        "solo_registros_especificos",
        {"nueva_solicitud": 0.9},
        intent="cancelar",
        ranking=[("cancelar", 0.5), ("solicitar_capacitacion", 0.45)],
        slots={**ERROR_ANSWERS, "reproduce_en_estandar": True},
    )
    tracker.events.insert(0, {"event": "user", "text": "error", "parse_data": {"intent": {"name": "reportar_error"}}})
    events, said = run_form(ValidateErrorForm, tracker, domain_dict)
    assert "Dejo en pausa el reporte del error" in texts(said) and "utter_solicitar_capacitacion" in texts(said)
    found = slots_set(events)
    assert found[NEW_TOPIC] == "solicitar_capacitacion" and ActiveLoop(None) in events
    [kept] = found[PENDING]
    assert kept["intencion"] == "reportar_error" and kept["respuestas"]["modulo"] == "MATA410"
    assert kept["respuestas"]["reproduce_en_estandar"] is True


def test_urgency_said_inside_an_error_report_is_noted_not_a_new_request(domain_dict):
    tracker = form_tracker(
        "es urgente, no podemos facturar",
        "codigo_cliente",
        {"nueva_solicitud": 0.9},
        intent="atencion_urgente",
        slots=BEFORE_CODE,
    )
    tracker.events.insert(0, {"event": "user", "text": "error", "parse_data": {"intent": {"name": "reportar_error"}}})
    events, said = run_form(ValidateErrorForm, tracker, domain_dict)
    assert "Anoto que es urgente" in texts(said)
    assert slots_set(events)[URGENT] is True and ActiveLoop(None) not in events


def test_a_tax_id_instead_of_the_code_is_explained(domain_dict):
    tracker = form_tracker(
        "el RFC es XAXX010101000", "codigo_cliente", {"otro": 0.6, "valor": 0.3}, form="formulario_urgente"
    )
    events, said = run_form(ValidateUrgentForm, tracker, domain_dict)
    assert "identificación fiscal" in texts(said) and slots_set(events)["codigo_cliente"] is None


def test_a_code_question_answered_with_words_records_nothing(domain_dict):
    tracker = form_tracker(
        "¿es el mismo código que uso para entrar al portal?",
        "codigo_cliente",
        {"valor": 0.6},
        form="formulario_urgente",
    )
    events, said = run_form(ValidateUrgentForm, tracker, domain_dict)
    assert slots_set(events)["codigo_cliente"] is None and "No encontré un código de cliente" in texts(said)


def test_a_request_to_repeat_asks_again_another_way(domain_dict):
    tracker = form_tracker("¿cómo?", "solo_registros_especificos", {"repetir": 0.9}, slots=BEFORE_RECORDS)
    events, _ = run_form(ValidateErrorForm, tracker, domain_dict)
    assert slots_set(events) == {
        "solo_registros_especificos": None,
        AFTER_DIGRESSION: True,
        REQUESTED: "solo_registros_especificos",
    }


def test_an_unsure_cancellation_is_asked_first_and_a_yes_leaves(domain_dict):
    tracker = form_tracker("ya fue", "descripcion_error", {"cancelar": 0.6, "otro": 0.3}, slots={"modulo": "MATA410"})
    tracker.events.insert(0, {"event": "user", "text": "error", "parse_data": {"intent": {"name": "reportar_error"}}})
    events, said = run_form(ValidateErrorForm, tracker, domain_dict)
    assert "¿Quiere cancelar el reporte del error? No registraré nada." in texts(said)
    assert ActiveLoop(None) not in events
    waiting = {"modulo": "MATA410", TO_CONFIRM: slots_set(events)[TO_CONFIRM]}
    yes = form_tracker("sí", "descripcion_error", {"otro": 0.5}, slots=waiting, others={"si_o_no": {"si": 0.95}})
    events, said = run_form(ValidateErrorForm, yes, domain_dict)
    assert "cancelé la solicitud" in texts(said) and ActiveLoop(None) in events
    no = form_tracker("no", "descripcion_error", {"otro": 0.5}, slots=waiting, others={"si_o_no": {"no": 0.95}})
    events, _ = run_form(ValidateErrorForm, no, domain_dict)
    assert ActiveLoop(None) not in events and slots_set(events)[REQUESTED] == "descripcion_error"


@pytest.mark.parametrize("slot", ["reproduce_en_estandar", "solo_registros_especificos", "acepta_terminos_consultoria"])
@pytest.mark.parametrize("value", [True, False])
def test_what_an_unsure_yes_or_no_is_understood_to_say_exists_for_both(domain_dict, slot, value):
    from protheus.common.messages import understood

    said = understood(slot, value)
    assert said and said != understood(slot, not value) and "{" not in said
