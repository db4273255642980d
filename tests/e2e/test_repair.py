"""Conversation repair inside the forms, through the real webhook (issue 14)."""

import pytest

from tests.e2e.test_handoff_rest import handoffs

pytestmark = pytest.mark.server


def text_of(replies: list[dict]) -> str:
    return " ".join(r.get("text", "") for r in replies)


def requested(bot, sender: str) -> str | None:
    return bot.tracker(sender)["slots"]["requested_slot"]


def test_a_question_in_the_error_form_is_answered_and_the_form_goes_on(bot, sender):
    bot.replies(sender, "al grabar el pedido de venta en MATA410 me sale un error log")
    assert requested(bot, sender) == "reproduce_en_estandar"
    replies = text_of(bot.replies(sender, "¿en qué horario atienden?"))
    assert "Lunes a viernes 8am-6pm" in replies and "Sigo con su solicitud" in replies
    assert requested(bot, sender) == "reproduce_en_estandar"
    bot.replies(sender, "sí")
    assert bot.tracker(sender)["slots"]["reproduce_en_estandar"] is True
    assert requested(bot, sender) == "solo_registros_especificos"


def test_a_question_in_the_urgent_form_is_answered_and_the_code_still_asked(bot, sender):
    bot.replies(sender, "tengo una urgencia, el sistema está caído y no podemos facturar")
    assert requested(bot, sender) == "codigo_cliente"
    replies = text_of(bot.replies(sender, "¿qué es el soporte prime?"))
    assert "PRIME es un servicio de atención especializada" in replies
    assert "No encontré un código" not in replies and requested(bot, sender) == "codigo_cliente"
    bot.replies(sender, "STD01")
    assert bot.tracker(sender)["slots"]["codigo_cliente"] == "STD01"


def test_an_acceptance_after_a_question_in_the_terms_is_recorded(bot, sender):
    bot.replies(sender, "quiero contratar una consultoría remota para revisar mi ambiente")
    assert requested(bot, sender) == "acepta_terminos_consultoria"
    replies = text_of(bot.replies(sender, "¿en qué horario atienden?"))
    assert "Lunes a viernes 8am-6pm" in replies and "¿acepta las condiciones" in replies
    [payload] = handoffs(bot.replies(sender, "sí, acepto"))
    assert payload["canal"] == "consultoria_remota"


def test_yes_and_no_in_the_customers_own_words(bot, sender):
    bot.replies(sender, "al grabar el pedido de venta en MATA410 me sale un error log")
    said = text_of(bot.replies(sender, "ni idea"))
    assert "como si también ocurriera en un entorno estándar" in said
    assert requested(bot, sender) == "solo_registros_especificos"
    bot.replies(sender, "no, pasa con todos los pedidos")
    slots = bot.tracker(sender)["slots"]
    assert slots["reproduce_en_estandar"] is True and slots["solo_registros_especificos"] is False
    said = text_of(bot.replies(sender, "no, con todos los pedidos"))  # a sentence is not a code
    assert "No encontré un código de cliente" in said and requested(bot, sender) == "codigo_cliente"


def test_a_correction_changes_the_earlier_answer_and_the_decision(bot, sender):
    bot.replies(sender, "al grabar el pedido de venta en MATA410 me sale un error log")
    bot.replies(sender, "sí, en el estándar también pasa")
    assert requested(bot, sender) == "solo_registros_especificos"
    said = text_of(bot.replies(sender, "perdón, me equivoqué, en el estándar NO pasa"))
    assert "Corregido: si ocurre en un entorno estándar ahora es «no»" in said
    slots = bot.tracker(sender)["slots"]
    assert slots["reproduce_en_estandar"] is False and slots["requested_slot"] == "solo_registros_especificos"
    bot.replies(sender, "cambie el módulo a SIGAFIN")
    assert bot.tracker(sender)["slots"]["modulo"] == "SIGAFIN"
    summary = text_of(bot.replies(sender, "no, con todos los pedidos"))
    assert "Antes de registrar, esto es lo que enviaré a Consultoría Remota" in summary and "SIGAFIN" in summary
    bot.replies(sender, "STD01")
    replies = bot.replies(sender, "facilitador.std@example.com")
    assert "100% facturado" in text_of(replies)  # not reproducible in standard: Remote Consulting now


@pytest.mark.parametrize("pending", ["reproduce_en_estandar", "codigo_cliente", "acepta_terminos_consultoria"])
def test_when_unsure_inside_a_form_the_bot_asks_about_the_pending_question(bot, sender, pending):
    from tests.e2e.test_rest import _first_vague

    openers = {
        "reproduce_en_estandar": "al grabar el pedido de venta en MATA410 me sale un error log",
        "codigo_cliente": "tengo una urgencia, el sistema está caído y no podemos facturar",
        "acepta_terminos_consultoria": "quiero contratar una consultoría remota para revisar mi ambiente",
    }
    bot.replies(sender, openers[pending])
    assert requested(bot, sender) == pending
    replies = bot.replies(sender, _first_vague(bot))
    assert not any(len(r.get("buttons") or []) == 4 for r in replies)  # not the catalogue question
    assert requested(bot, sender) == pending
    said = text_of(replies)
    assert any(hint in said for hint in ("sí", "código de cliente", "acepte")), said


def test_a_new_request_in_the_middle_of_a_form_leaves_it_and_is_answered(bot, sender):
    bot.replies(sender, "al grabar el pedido de venta en MATA410 me sale un error log")
    assert requested(bot, sender) == "reproduce_en_estandar"
    replies = bot.replies(sender, "necesito un query que me traiga las ventas por vendedor")
    [payload] = handoffs(replies)
    assert (payload["canal"], payload["intent"]) == ("externo", "consulta_sql")
    tracker = bot.tracker(sender)
    assert tracker["slots"]["requested_slot"] is None and not (tracker["active_loop"] or {}).get("name")
    assert tracker["slots"]["modulo"] is None  # the abandoned report's answers are dropped


@pytest.mark.parametrize("words", ["cancelar", "salir", "empezar de nuevo"])
def test_leaving_words_work_inside_a_form(bot, sender, words):
    bot.replies(sender, "al grabar el pedido de venta en MATA410 me sale un error log")
    said = text_of(bot.replies(sender, words))
    assert "no registré nada" in said and requested(bot, sender) is None


def test_why_a_question_is_asked_and_a_code_corrected(bot, sender):
    bot.replies(sender, "tengo una urgencia, el sistema está caído y no podemos facturar")
    said = text_of(bot.replies(sender, "¿y por qué me pregunta eso?"))
    assert "Se lo pregunto para registrar la solicitud a nombre de su empresa" in said
    assert requested(bot, sender) == "codigo_cliente"
    bot.replies(sender, "STD01")
    said = text_of(bot.replies(sender, "me equivoqué de código, es PRIME01"))
    assert "el código de cliente ahora es «PRIME01»" in said
    slots = bot.tracker(sender)["slots"]
    assert slots["codigo_cliente"] == "PRIME01" and slots["requested_slot"] == "verificacion_cliente"


def test_a_correction_after_the_summary_changes_what_is_registered(bot, sender):
    bot.replies(sender, "al grabar el pedido de venta en MATA410 me sale un error log")
    bot.replies(sender, "no")
    summary = text_of(bot.replies(sender, "no, pasa con todos"))
    assert "enviaré a Consultoría Remota" in summary  # not reproducible in standard
    said = text_of(bot.replies(sender, "me equivoqué, en el estándar también pasa"))
    assert "ahora es «sí»" in said and requested(bot, sender) == "codigo_cliente"
    bot.replies(sender, "mi código es STD01")  # a code inside a sentence
    assert bot.tracker(sender)["slots"]["codigo_cliente"] == "STD01"
    [payload] = handoffs(bot.replies(sender, "facilitador.std@example.com"))
    assert payload["canal"] == "soporte_estandar"
