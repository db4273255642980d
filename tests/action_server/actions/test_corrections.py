"""Before the last question of a form the customer sees what will be sent, and can correct it
(the corrections themselves: tests/action_server/actions/test_form_answers.py)."""

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


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


def test_before_the_last_question_the_customer_sees_what_will_be_sent():
    from protheus.action_server.actions.asks import AskCustomerCode

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
    from protheus.action_server.actions.asks import AskConsultingTermsAccepted

    slots = {**ERROR_ANSWERS, "reproduce_en_estandar": False, "solo_registros_especificos": False}
    t = tracker("no", slots, "acepta_terminos_consultoria")
    t.events.insert(0, {"event": "user", "text": "x", "parse_data": {"intent": {"name": "reportar_error"}}})
    dispatcher = CollectingDispatcher()
    asyncio.run(AskConsultingTermsAccepted().run(dispatcher, t, {}))
    summary, terms = (m["text"] for m in dispatcher.messages)
    assert summary.startswith("Antes de registrar, esto es lo que enviaré a Consultoría Remota:")
    assert "100% facturado" in terms
