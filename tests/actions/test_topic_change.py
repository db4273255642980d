"""A new request in the middle of a form leaves it and is routed as if it had come first."""

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.forms import ValidateErrorForm
from actions.handoff import ActionHandOff
from actions.topic_change import NEW_TOPIC
from protheus.db.customers import CustomerStore
from protheus.db.handoffs import HandoffStore


def tracker(text: str, intent: str, pending: str, confidence: float = 0.9, slots: dict | None = None) -> Tracker:
    parse = {"intent": {"name": intent, "confidence": confidence}, "entities": []}
    return Tracker(
        sender_id="prueba",
        slots={"requested_slot": pending, **(slots or {})},
        latest_message={"text": text, **parse},
        events=[{"event": "user", "text": text, "parse_data": parse}],
        paused=False,
        followup_action=None,
        active_loop={"name": "formulario_error"},
        latest_action_name="action_listen",
    )


def run(t: Tracker, domain_dict) -> tuple[list, list]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateErrorForm().run(dispatcher, t, domain_dict))
    return events, dispatcher.messages


def test_a_clear_new_request_while_a_yes_no_is_asked_leaves_the_form(domain_dict):
    events, said = run(
        tracker(
            "necesito un query de ventas por vendedor",
            "consulta_sql",
            "reproduce_en_estandar",
            slots={"modulo": "SIGAFAT"},
        ),
        domain_dict,
    )
    assert [m["response"] for m in said] == ["utter_consulta_sql"]
    assert events == [
        SlotSet("modulo", None),
        SlotSet(NEW_TOPIC, "consulta_sql"),
        SlotSet("requested_slot", None),
        ActiveLoop(None),
    ]


def test_a_description_that_reads_like_a_request_is_still_the_description(domain_dict):
    events, _ = run(
        tracker("necesito corregir los datos del pedido", "corregir_datos", "descripcion_error"), domain_dict
    )
    assert SlotSet(NEW_TOPIC, "corregir_datos") not in events
    events, said = run(
        tracker("mejor olvídalo, lo que necesito es capacitación", "solicitar_capacitacion", "descripcion_error"),
        domain_dict,
    )
    assert SlotSet(NEW_TOPIC, "solicitar_capacitacion") in events and ActiveLoop(None) in events


@pytest.mark.parametrize(
    "intent, confidence",
    [("consulta_sql", 0.45), ("atencion_urgente", 0.95), ("hablar_con_humano", 0.95), ("afirmar", 0.95)],
)
def test_unsure_related_or_agent_requests_do_not_leave(domain_dict, intent, confidence):
    events, _ = run(tracker("algo", intent, "reproduce_en_estandar", confidence), domain_dict)
    assert ActiveLoop(None) not in events


def test_the_handoff_routes_the_new_request(db, dispatcher):
    CustomerStore(db).seed_demo_customers()
    store = HandoffStore(db)
    t = tracker("necesito un query", "consulta_sql", "reproduce_en_estandar", slots={NEW_TOPIC: "consulta_sql"})
    events = asyncio.run(
        ActionHandOff(customers=lambda: CustomerStore(db), handoffs=lambda: store).run(dispatcher, t, {})
    )
    [payload] = [m["custom"]["handoff"] for m in dispatcher.messages if m.get("custom")]
    assert (payload["canal"], payload["intent"]) == ("externo", "consulta_sql")
    assert SlotSet(NEW_TOPIC, None) in events


@pytest.mark.parametrize(
    "form, pending",
    [("ValidateUrgentForm", "codigo_cliente"), ("ValidateConsultingForm", "acepta_terminos_consultoria")],
)
def test_every_form_is_left_for_a_clear_new_request(domain_dict, form, pending):
    import actions.forms

    dispatcher = CollectingDispatcher()
    t = tracker("necesito un query de ventas por vendedor", "consulta_sql", pending)
    events = asyncio.run(getattr(actions.forms, form)().run(dispatcher, t, domain_dict))
    assert SlotSet(NEW_TOPIC, "consulta_sql") in events and ActiveLoop(None) in events


@pytest.mark.parametrize(
    "pending, text",
    [
        ("verificacion_cliente", "facilitador.prime@example.com"),  # read as «contacto_soporte»
        ("codigo_cliente", "mi código es STD01"),
        ("reproduce_en_estandar", "sí, y necesito un query también"),
    ],
)
def test_an_answer_to_the_pending_question_never_leaves_the_form(domain_dict, pending, text):
    events, _ = run(tracker(text, "contacto_soporte", pending, 0.95), domain_dict)
    assert ActiveLoop(None) not in events and SlotSet(NEW_TOPIC, "contacto_soporte") not in events


@pytest.mark.parametrize("text", ["mejor empecemos de nuevo", "quiero volver a empezar"])
def test_starting_over_cancels_the_form_and_registers_nothing(domain_dict, text, db):
    events, said = run(
        tracker(text, "nlu_fallback", "descripcion_error", 0.3, slots={"modulo": "SIGAFAT"}), domain_dict
    )
    assert "no registré nada" in said[0]["text"]
    assert SlotSet("modulo", None) in events and ActiveLoop(None) in events
    dispatcher = CollectingDispatcher()
    t = tracker(text, "nlu_fallback", "descripcion_error", slots={NEW_TOPIC: "cancelar"})
    store = HandoffStore(db)
    result = asyncio.run(
        ActionHandOff(customers=lambda: CustomerStore(db), handoffs=lambda: store).run(dispatcher, t, {})
    )
    assert result == [SlotSet(NEW_TOPIC, None)] and dispatcher.messages == []
