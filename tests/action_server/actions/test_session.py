"""Session start sets the support contact from SUPPORT_EMAIL and carries slots over."""

import asyncio

from rasa_sdk.events import SlotSet

from protheus.action_server.actions.session import ActionSessionStart
from tests.action_server.actions.conftest import make_tracker


def test_support_contact_from_setting(monkeypatch, dispatcher, domain_dict):
    monkeypatch.setenv("SUPPORT_EMAIL", "ayuda@example.com")
    tracker = make_tracker(
        intent="saludo", slots={"codigo_cliente": "STD01", "correo_soporte": "viejo", "requested_slot": "x"}
    )
    events = asyncio.run(ActionSessionStart().run(dispatcher, tracker, domain_dict))
    assert events[0]["event"] == "session_started"
    assert SlotSet("correo_soporte", "ayuda@example.com") in events
    assert SlotSet("codigo_cliente", "STD01") in events
    assert not any(e.get("name") == "requested_slot" for e in events)
    assert (events[-1]["event"], events[-1]["name"]) == ("action", "action_listen")


def test_no_carry_over_when_disabled(monkeypatch, dispatcher, domain_dict):
    monkeypatch.delenv("SUPPORT_EMAIL", raising=False)
    domain_dict = {**domain_dict, "session_config": {"carry_over_slots_to_new_session": False}}
    tracker = make_tracker(intent="saludo", slots={"codigo_cliente": "STD01"})
    events = asyncio.run(ActionSessionStart().run(dispatcher, tracker, domain_dict))
    assert not any(e.get("name") == "codigo_cliente" for e in events)
    assert any(e.get("name") == "correo_soporte" and "@" not in e["value"] for e in events)


def test_a_new_session_keeps_who_the_customer_is_but_not_an_unfinished_form(dispatcher, domain_dict):
    from rasa_sdk import Tracker

    slots = {
        "codigo_cliente": "PRIME01",
        "verificacion_cliente": "verificado",
        "modulo": "SIGAFAT",
        "reproduce_en_estandar": True,
        "requested_slot": "solo_registros_especificos",
    }
    base = make_tracker(intent="afirmar", slots=slots, history=["reportar_error"])
    tracker = Tracker(
        base.sender_id,
        base.slots,
        base.latest_message,
        base.events,
        False,
        None,
        {"name": "formulario_error"},
        "action_listen",
    )
    events = asyncio.run(ActionSessionStart().run(dispatcher, tracker, domain_dict))
    carried = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert carried["codigo_cliente"] == "PRIME01" and carried["verificacion_cliente"] == "verificado"
    assert "modulo" not in carried and "reproduce_en_estandar" not in carried
    [said] = dispatcher.messages
    assert "«Reportar un posible error del sistema»" in said["text"] and "quedó sin registrar" in said["text"]
    assert "cuénteme de nuevo" in said["text"]


def test_a_new_session_without_a_form_in_progress_says_nothing(dispatcher, domain_dict):
    asyncio.run(ActionSessionStart().run(dispatcher, make_tracker(intent="saludo"), domain_dict))
    assert dispatcher.messages == []


def test_back_to_a_pending_form_after_a_while_the_request_is_recalled(monkeypatch):
    from protheus.action_server.actions.session import idle_reminder

    monkeypatch.setenv("FORM_IDLE_MINUTES", "15")
    base = make_tracker(intent="afirmar", history=["reportar_error"])
    base.events[0]["timestamp"], base.events[-1]["timestamp"] = 1000.0, 1000.0 + 16 * 60
    said = idle_reminder(base)
    assert said is not None and "«Reportar un posible error del sistema», que quedó a medias" in said["text"]
    base.events[-1]["timestamp"] = 1000.0 + 5 * 60
    assert idle_reminder(base) is None
