"""Form validation: modules, yes/no answers, the first message as description, customer codes."""

import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from protheus.action_server.actions.forms import ValidateErrorForm
from tests.action_server.actions.conftest import make_tracker


@pytest.mark.parametrize(
    "text, code",
    [
        ("facturación", "SIGAFAT"),
        ("en el MATA410", "MATA410"),
        ("la nomina", "SIGAGPE"),
        ("cuentas por pagar", "SIGAFIN"),
    ],
)
def test_module_names_and_routines_are_normalised(dispatcher, text, code):
    result = ValidateErrorForm().validate_modulo(text, dispatcher, make_tracker("consulta_funcional"), {})
    assert result == {"modulo": code} and dispatcher.messages == []


def test_unknown_module_is_asked_again_in_spanish(dispatcher):
    result = ValidateErrorForm().validate_modulo("el módulo de magia", dispatcher, make_tracker("fuera_de_dominio"), {})
    assert result == {"modulo": None}
    assert "No reconozco «el módulo de magia»" in dispatcher.messages[0]["text"]


def test_first_message_is_the_error_description(dispatcher):
    text = "al grabar el pedido de venta me sale un error log"
    tracker = make_tracker("reportar_error", text=text)
    assert asyncio.run(ValidateErrorForm().extract_descripcion_error(dispatcher, tracker, {})) == {
        "descripcion_error": text
    }


def test_short_first_message_is_not_a_description(dispatcher):
    tracker = make_tracker("reportar_error", text="tengo un error")
    assert asyncio.run(ValidateErrorForm().extract_descripcion_error(dispatcher, tracker, {})) == {}


def test_known_customer_code_is_accepted(customers, dispatcher):
    assert ValidateErrorForm().validate_codigo_cliente(" prime01 ", dispatcher, make_tracker("afirmar"), {}) == {
        "codigo_cliente": "PRIME01"
    }


@pytest.mark.parametrize("text", ["mi código es STD01", "STD01 es mi código", "soy el cliente std01."])
def test_code_inside_a_sentence_is_found(customers, dispatcher, text):
    assert ValidateErrorForm().validate_codigo_cliente(text, dispatcher, make_tracker("afirmar"), {}) == {
        "codigo_cliente": "STD01"
    }


def test_answer_without_a_code_is_reprompted(customers, dispatcher):
    assert ValidateErrorForm().validate_codigo_cliente("¿?", dispatcher, make_tracker("afirmar"), {}) == {
        "codigo_cliente": None
    }
    assert "No encontré un código de cliente en «¿?»" in dispatcher.messages[0]["text"]


def test_whether_a_code_exists_is_not_said_when_it_is_written(customers, dispatcher):
    # Any well-formed code is taken; the verification question proves it (test_verification.py).
    assert ValidateErrorForm().validate_codigo_cliente("XX999", dispatcher, make_tracker("afirmar"), {}) == {
        "codigo_cliente": "XX999"
    }
    assert dispatcher.messages == []


PASTED_LOG = (
    "THREAD ERROR ([4412], jlopez, SRV01)   12/03/2024   10:22:13\n"
    "variable does not exist C5_XTIPO on MATA410(MATA410.PRW) 12/03/2024 line : 2345"
)


def test_a_pasted_log_alone_is_the_description_and_names_the_module(dispatcher):
    tracker = make_tracker("reportar_error", text=PASTED_LOG)
    form = ValidateErrorForm()
    assert asyncio.run(form.extract_descripcion_error(dispatcher, tracker, {})) == {"descripcion_error": PASTED_LOG}
    assert asyncio.run(form.extract_modulo(dispatcher, tracker, {})) == {"modulo": "SIGAFAT"}


def test_no_log_no_module_from_it(dispatcher):
    tracker = make_tracker("reportar_error", text="al grabar el pedido me sale un error raro")
    assert asyncio.run(ValidateErrorForm().extract_modulo(dispatcher, tracker, {})) == {}
    asked = make_tracker("afirmar", text=PASTED_LOG, slots={"requested_slot": "codigo_cliente"})
    assert asyncio.run(ValidateErrorForm().extract_modulo(dispatcher, asked, {})) == {}  # another question


def test_a_whole_error_log_is_kept_up_to_the_log_limit(dispatcher, monkeypatch):
    monkeypatch.delenv("MAX_LOG_CHARS", raising=False)
    long_log = "me falla el pedido:\n" + "\n".join([PASTED_LOG] * 40)  # about 5 000 characters
    kept = ValidateErrorForm().validate_descripcion_error(long_log, dispatcher, make_tracker("reportar_error"), {})
    assert kept == {"descripcion_error": long_log.strip()} and len(long_log) > 2000
    words = "no graba " * 400
    assert (
        len(
            ValidateErrorForm().validate_descripcion_error(words, dispatcher, make_tracker("x"), {})[
                "descripcion_error"
            ]
        )
        == 2000
    )


def test_a_sentence_without_a_code_says_what_was_understood(customers, dispatcher):
    result = ValidateErrorForm().validate_codigo_cliente(
        "no, con todos los pedidos", dispatcher, make_tracker("negar"), {}
    )
    assert result == {"codigo_cliente": None}
    assert "No encontré un código de cliente en «no, con todos los pedidos»" in dispatcher.messages[0]["text"]


CONNECTION_LOG = (
    "no puedo entrar al sistema:\nTHREAD ERROR ([3728], marcos, SRV01)   11/02/2021   21:31:57\n"
    "TC_Open - NO CONNECTION on FWTABLEDDL:OPENTABLE(FWTABLEDDL.PRX) 13/10/2020 16:57:59"
)
CUSTOM_LOG = "al grabar sale: variable does not exist CFILANT on U_BJDRENA(BJPLA004.PRW) line : 1043"


def opening(text: str, domain_dict) -> tuple[list, list]:
    tracker = make_tracker("reportar_error", text=text)
    tracker.slots["modulo"] = "SIGAFAT"
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateErrorForm().run(dispatcher, tracker, domain_dict))
    return events, dispatcher.messages


@pytest.mark.parametrize(
    "text, quoted, leave_for",
    [
        (CONNECTION_LOG, "Instalación, configuración, operación, mantenimiento de hardware", "soporte_infraestructura"),
        (CUSTOM_LOG, "Códigos fuentes y personalizaciones programadas", "soporte_personalizaciones"),
    ],
)
def test_a_log_that_points_away_from_a_product_error_is_said_and_the_customer_decides(
    domain_dict, text, quoted, leave_for
):
    events, said = opening(text, domain_dict)
    assert quoted in said[-1]["text"] and [b["payload"] for b in said[-1]["buttons"]] == ["/afirmar", "/negar"]
    [waiting] = [e["value"] for e in events if e.get("name") == "por_confirmar"]
    assert f'"salir": "{leave_for}"' in waiting  # only the customer's yes leaves the report
    assert not any(e.get("event") == "active_loop" for e in events)


def test_a_product_error_log_asks_nothing_more(domain_dict):
    events, said = opening(PASTED_LOG, domain_dict)
    assert said == [] and not any(e.get("name") == "por_confirmar" for e in events)
