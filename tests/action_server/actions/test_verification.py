"""A known customer, not a claimed one: the code is proved with the registered facilitator's
e-mail or comes signed by the portal; failures are limited and say nothing about the code."""

import asyncio

from protheus.action_server.actions import verification
from protheus.action_server.actions.forms import ValidateErrorForm, ValidateUrgentForm
from protheus.action_server.actions.handoff import ActionHandOff
from protheus.action_server.actions.verification import CustomerVerification
from protheus.common.message_metadata import ADDRESS_KEY, SIGNED_CUSTOMER_KEY
from protheus.db.handoffs import HandoffStore
from tests.action_server.actions.conftest import make_tracker

PRIME_EMAIL, STD_EMAIL = "facilitador.prime@example.com", "facilitador.std@example.com"


def answer(dispatcher, code: str, text: str, attempts: int = 0, address: str = "203.0.113.7", metadata=None):
    tracker = make_tracker(
        "fuera_de_dominio",
        text=text,
        slots={"codigo_cliente": code, "intentos_verificacion": attempts, "requested_slot": "verificacion_cliente"},
        metadata={ADDRESS_KEY: address, **(metadata or {})},
    )
    return ValidateUrgentForm().validate_verificacion_cliente(text, dispatcher, tracker, {})


def test_the_demo_facilitators_email_verifies_the_code(customers, dispatcher):
    assert answer(dispatcher, "PRIME01", f"es {PRIME_EMAIL.upper()}")["verificacion_cliente"] == "verificado"
    assert answer(dispatcher, "STD01", STD_EMAIL)["verificacion_cliente"] == "verificado"
    assert dispatcher.messages == []


def test_a_wrong_email_and_an_unknown_code_get_the_same_reply(customers, dispatcher):
    wrong = answer(dispatcher, "PRIME01", "alguien@example.com")
    unknown = answer(dispatcher, "NOEXISTE99", PRIME_EMAIL)
    assert wrong == unknown == {"codigo_cliente": None, "verificacion_cliente": None, "intentos_verificacion": 1}
    first, second = (m["text"] for m in dispatcher.messages)
    assert first == second and "NOEXISTE99" not in second and "No encuentro" not in second


def test_after_three_failures_the_customer_goes_on_unverified(customers, dispatcher):
    result = answer(dispatcher, "PRIME01", "otro@example.com", attempts=2)
    assert result == {"verificacion_cliente": "no_verificado", "intentos_verificacion": 3}
    assert "sin verificar" in dispatcher.messages[-1]["text"]


def test_failures_from_one_address_stop_every_check_from_it(customers, dispatcher, monkeypatch):
    monkeypatch.setenv("VERIFICATION_FAILURES_PER_HOUR", "2")
    for _ in range(2):
        answer(dispatcher, "PRIME01", "adivino@example.com", address="198.51.100.9")
    # The right e-mail, in a new conversation from the same address: not even checked.
    assert answer(dispatcher, "PRIME01", PRIME_EMAIL, address="198.51.100.9")["verificacion_cliente"] == "no_verificado"
    # Another address is not affected.
    assert answer(dispatcher, "PRIME01", PRIME_EMAIL, address="198.51.100.10")["verificacion_cliente"] == "verificado"


def test_failures_expire_after_an_hour(customers, dispatcher, monkeypatch):
    monkeypatch.setenv("VERIFICATION_FAILURES_PER_HOUR", "1")
    now = [1_000_000.0]
    check = CustomerVerification(lambda: customers, clock=lambda: now[0])
    tracker = make_tracker("fuera_de_dominio", slots={"codigo_cliente": "PRIME01"}, metadata={ADDRESS_KEY: "192.0.2.1"})
    check.check(tracker, "mal@example.com", dispatcher)
    assert check.check(tracker, PRIME_EMAIL, dispatcher)["verificacion_cliente"] == "no_verificado"
    now[0] += 3601
    assert check.check(tracker, PRIME_EMAIL, dispatcher)["verificacion_cliente"] == "verificado"


def test_a_code_signed_by_the_portal_is_taken_and_never_asked(customers, dispatcher):
    tracker = make_tracker("atencion_urgente", metadata={SIGNED_CUSTOMER_KEY: "PRIME01"})
    extracted = asyncio.run(ValidateUrgentForm().extract_codigo_cliente(dispatcher, tracker, {}))
    assert extracted == {"codigo_cliente": "PRIME01", "verificacion_cliente": "portal"}
    signed = make_tracker(
        "atencion_urgente", slots={"codigo_cliente": "PRIME01"}, metadata={SIGNED_CUSTOMER_KEY: "PRIME01"}
    )
    assert ValidateUrgentForm().validate_verificacion_cliente("portal", dispatcher, signed, {}) == {
        "verificacion_cliente": "portal"
    }


def test_the_word_portal_without_a_signed_session_verifies_nothing(customers, dispatcher):
    assert answer(dispatcher, "PRIME01", "portal")["verificacion_cliente"] == "no_verificado"


def test_a_customer_without_the_email_goes_on_unverified_at_once(customers, dispatcher):
    assert answer(dispatcher, "PRIME01", "no lo sé")["verificacion_cliente"] == "no_verificado"
    assert "Sin ese correo" in dispatcher.messages[0]["text"]
    assert customers.failed_verifications("203.0.113.7", 0) == 0  # not a guess


def test_a_code_written_in_the_opening_message_is_taken_but_still_verified(customers, dispatcher):
    tracker = make_tracker("atencion_urgente", entities=[{"entity": "codigo_cliente", "value": "PRIME01"}])
    form = ValidateErrorForm()
    assert asyncio.run(form.extract_codigo_cliente(dispatcher, tracker, {})) == {"codigo_cliente": "PRIME01"}
    asked = make_tracker(
        "atencion_urgente",
        slots={"requested_slot": "modulo"},
        entities=[{"entity": "codigo_cliente", "value": "PRIME01"}],
    )
    assert asyncio.run(form.extract_codigo_cliente(dispatcher, asked, {})) == {}


def urgent_handoff(db, customers, slots):
    store = HandoffStore(db)
    tracker = make_tracker("atencion_urgente", slots={**slots, "acepta_terminos_consultoria": True})
    dispatcher = verification.CollectingDispatcher()
    asyncio.run(ActionHandOff(customers=lambda: customers, handoffs=lambda: store).run(dispatcher, tracker, {}))
    [message] = [m for m in dispatcher.messages if m.get("custom")]
    return message["custom"]["handoff"], store.get(message["custom"]["handoff"]["id"])


def test_only_a_verified_prime_customer_reaches_prime(db, customers):
    claimed, row = urgent_handoff(db, customers, {"codigo_cliente": "PRIME01", "verificacion_cliente": "no_verificado"})
    assert claimed["canal"] == "consultoria_remota"
    assert "sin verificar" in claimed["resumen"] and row.slots["verificacion_cliente"] == "no_verificado"
    never_asked, _ = urgent_handoff(db, customers, {"codigo_cliente": "PRIME01"})
    assert never_asked["canal"] == "consultoria_remota"
    verified, row = urgent_handoff(db, customers, {"codigo_cliente": "PRIME01", "verificacion_cliente": "verificado"})
    assert verified["canal"] == "soporte_prime" and row.slots["verificacion_cliente"] == "verificado"
    portal, _ = urgent_handoff(db, customers, {"codigo_cliente": "PRIME01", "verificacion_cliente": "portal"})
    assert portal["canal"] == "soporte_prime" and "verificado por el portal" in portal["resumen"]
