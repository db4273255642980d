"""Leaving a form only when the customer means it: a cancellation registers nothing, a new
request is routed as if it had come first and the unfinished one waits to be offered back."""

import asyncio

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from protheus.action_server.actions.forms import ValidateConsultingForm, ValidateErrorForm, ValidateUrgentForm
from protheus.action_server.actions.handoff import ActionHandOff
from protheus.action_server.actions.slots import NEW_TOPIC
from protheus.db.customers import CustomerStore
from protheus.db.handoffs import HandoffStore
from tests.action_server.actions.conftest import form_tracker, run_form

QUERY = "necesito un query de ventas por vendedor"


def test_the_handoff_routes_the_new_request(db, dispatcher, domain_dict):
    CustomerStore(db).seed_demo_customers()
    store = HandoffStore(db)
    t = form_tracker(QUERY, "reproduce_en_estandar", intent="consulta_sql", slots={NEW_TOPIC: "consulta_sql"})
    events = asyncio.run(
        ActionHandOff(customers=lambda: CustomerStore(db), handoffs=lambda: store).run(dispatcher, t, domain_dict)
    )
    [payload] = [m["custom"]["handoff"] for m in dispatcher.messages if m.get("custom")]
    assert (payload["canal"], payload["intent"]) == ("externo", "consulta_sql")
    assert SlotSet(NEW_TOPIC, None) in events


@pytest.mark.parametrize(
    "form, name, pending",
    [
        (ValidateErrorForm, "formulario_error", "modulo"),
        (ValidateUrgentForm, "formulario_urgente", "codigo_cliente"),
        (ValidateConsultingForm, "formulario_consultoria", "acepta_terminos_consultoria"),
    ],
)
def test_every_form_is_left_for_a_clear_new_request(domain_dict, form, name, pending):
    t = form_tracker(QUERY, pending, {"nueva_solicitud": 0.9}, intent="consulta_sql", form=name)
    events, said = run_form(form, t, domain_dict)
    assert SlotSet(NEW_TOPIC, "consulta_sql") in events and ActiveLoop(None) in events
    assert said[-1]["response"] == "utter_consulta_sql"


@pytest.mark.parametrize(
    "pending, text, reading",
    [
        ("verificacion_cliente", "facilitador.prime@example.com", {"valor": 0.98}),
        ("codigo_cliente", "mi código es STD01", {"valor": 0.99}),
        ("reproduce_en_estandar", "sí, y necesito un query también", {"si": 0.7, "nueva_solicitud": 0.2}),
    ],
)
def test_an_answer_to_the_pending_question_never_leaves_the_form(domain_dict, pending, text, reading):
    t = form_tracker(
        text,
        pending,
        reading,
        intent="contacto_soporte",
        confidence=0.95,
        slots={"modulo": "MATA410", "descripcion_error": "sale un error al grabar"},
    )
    events, _ = run_form(ValidateErrorForm, t, domain_dict)
    assert ActiveLoop(None) not in events and SlotSet(NEW_TOPIC, "contacto_soporte") not in events


def test_an_unsure_cancellation_does_not_leave_the_form(domain_dict):
    t = form_tracker("ya fue", "descripcion_error", {"cancelar": 0.4, "otro": 0.35}, intent="cancelar", confidence=0.9)
    events, _ = run_form(ValidateErrorForm, t, domain_dict)
    assert ActiveLoop(None) not in events


def test_a_cancellation_registers_nothing(domain_dict, db):
    t = form_tracker("mejor empecemos de nuevo", "descripcion_error", {"cancelar": 0.95}, slots={"modulo": "SIGAFAT"})
    events, said = run_form(ValidateErrorForm, t, domain_dict)
    assert "no registré nada" in said[0]["text"]
    assert SlotSet("modulo", None) in events and ActiveLoop(None) in events
    dispatcher = CollectingDispatcher()
    after = form_tracker("mejor empecemos de nuevo", "descripcion_error", slots={NEW_TOPIC: "cancelar"})
    store = HandoffStore(db)
    result = asyncio.run(
        ActionHandOff(customers=lambda: CustomerStore(db), handoffs=lambda: store).run(dispatcher, after, domain_dict)
    )
    assert result == [SlotSet(NEW_TOPIC, None)] and dispatcher.messages == []
