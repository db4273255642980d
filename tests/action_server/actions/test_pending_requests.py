"""Requests left for later are offered back after the one in hand, and only a yes acts."""

import asyncio

from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from protheus.action_server.actions.asks import AskResume
from protheus.action_server.actions.handoff import ActionHandOff
from protheus.action_server.actions.pending_requests import ActionOfferPending, ActionResume
from protheus.action_server.actions.slots import CUSTOMER_QUESTION, NEW_TOPIC, OFFERING, PENDING, RESUME, UNKNOWN
from protheus.db.customers import CustomerStore
from protheus.db.handoffs import HandoffStore
from tests.action_server.actions.conftest import form_tracker

REPORT = {
    "tipo": "retomar",
    "intencion": "reportar_error",
    "respuestas": {"modulo": "MATA410", "descripcion_error": "al grabar sale un error", "reproduce_en_estandar": True},
    "desconocidas": [],
}
QUESTION = {"tipo": "consulta", "intencion": "consulta_funcional", "texto": "¿qué es un TES?"}


def run(action, tracker, domain=None):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain or {}))
    return events, dispatcher.messages


def test_the_offer_opens_only_when_something_is_pending():
    events, _ = run(ActionOfferPending(), form_tracker("gracias", "modulo", slots={PENDING: [REPORT]}))
    assert SlotSet(OFFERING, True) in events
    events, _ = run(ActionOfferPending(), form_tracker("gracias", "modulo", slots={PENDING: []}))
    assert SlotSet(OFFERING, False) in events


def test_the_offer_names_the_request_and_where_it_happens():
    _, said = run(AskResume(), form_tracker("", "retomar_solicitud", slots={PENDING: [REPORT, QUESTION]}))
    assert said[0]["text"].startswith("¿Seguimos con el reporte del error en MATA410?")
    assert [b["payload"] for b in said[0]["buttons"]] == ["/afirmar", "/negar"]
    _, said = run(AskResume(), form_tracker("", "retomar_solicitud", slots={PENDING: [QUESTION]}))
    assert said[0]["text"] == "¿Registro también su consulta «¿qué es un TES?» para Soporte Estándar?"


def test_a_yes_restores_the_answers_and_hands_the_request_back():
    tracker = form_tracker("sí", "retomar_solicitud", slots={PENDING: [REPORT, QUESTION], RESUME: True})
    events, said = run(ActionResume(), tracker)
    assert said[0]["text"] == "Seguimos con el reporte del error."
    assert SlotSet("modulo", "MATA410") in events and SlotSet("reproduce_en_estandar", True) in events
    assert SlotSet(UNKNOWN, []) in events and SlotSet(PENDING, [QUESTION]) in events
    assert events[-2:] == [SlotSet(NEW_TOPIC, "reportar_error"), FollowupAction("action_derivar")]


def test_a_yes_to_a_question_kept_for_later_registers_it_with_its_text():
    tracker = form_tracker("sí", "retomar_solicitud", slots={PENDING: [QUESTION], RESUME: True})
    events, _ = run(ActionResume(), tracker)
    assert SlotSet(CUSTOMER_QUESTION, "¿qué es un TES?") in events
    assert events[-2:] == [SlotSet(NEW_TOPIC, "consulta_funcional"), FollowupAction("action_derivar")]


def test_a_no_drops_it_says_so_and_offers_the_next():
    tracker = form_tracker("no, déjelo", "retomar_solicitud", slots={PENDING: [REPORT, QUESTION], RESUME: False})
    events, said = run(ActionResume(), tracker)
    assert said[0]["text"] == "De acuerdo, dejo el reporte del error sin registrar. ¿En qué más puedo ayudarle?"
    assert SlotSet(PENDING, [QUESTION]) in events and events[-1] == FollowupAction("action_ofrecer_pendiente")


def test_requests_left_for_another_one_are_offered_before_questions():
    from protheus.action_server.actions.pending_requests import later_question, suspend

    asked = form_tracker("¿qué es un TES?", "solo_registros_especificos", slots={PENDING: []})
    [kept_question] = later_question(asked)
    left = form_tracker("dejá eso", "solo_registros_especificos", slots={PENDING: kept_question["value"]})
    [both] = suspend(left, "reportar_error", {"modulo": "MATA410"})
    assert [i["tipo"] for i in both["value"]] == ["retomar", "consulta"]


def test_a_request_taken_up_again_goes_through_its_form_first(db, domain_dict):
    store = HandoffStore(db)
    tracker = form_tracker("sí", "retomar_solicitud", slots={**REPORT["respuestas"], NEW_TOPIC: "reportar_error"})
    events, said = run(ActionHandOff(customers=lambda: CustomerStore(db), handoffs=lambda: store), tracker, domain_dict)
    assert events[-1] == FollowupAction("formulario_error") and said == []
    assert store.of_conversation("prueba") == []


def test_after_a_hand_off_what_is_pending_is_offered(db, domain_dict):
    store = HandoffStore(db)
    tracker = form_tracker("dale", "acepta_terminos_consultoria", slots={NEW_TOPIC: "consulta_sql", PENDING: [REPORT]})
    events, said = run(ActionHandOff(customers=lambda: CustomerStore(db), handoffs=lambda: store), tracker, domain_dict)
    assert any(m.get("custom") for m in said)  # the hand-off the customer asked for
    assert events[-1] == FollowupAction("action_ofrecer_pendiente")
