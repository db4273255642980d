"""Pasted error logs through the real REST webhook: a log that points away from a product error
is explained with the guideline's words, and the customer decides (issue 22)."""

import pytest

from tests.e2e.test_handoff_rest import handoffs

pytestmark = pytest.mark.server

CONNECTION = (
    "no podemos entrar al sistema, sale esto:\n"
    "THREAD ERROR ([3728], marcos, SRV01)   11/02/2021   21:31:57\n"
    "TC_Open - NO CONNECTION on FWTABLEDDL:OPENTABLE(FWTABLEDDL.PRX) 13/10/2020 16:57:59"
)
CUSTOM = "al grabar el pedido sale: variable does not exist CFILANT on U_BJDRENA(BJPLA004.PRW) line : 1043"


def text_of(replies: list[dict]) -> str:
    return " ".join(r.get("text", "") for r in replies)


def test_a_connection_log_suggests_the_infrastructure_and_a_yes_routes_it_there(bot, sender):
    said = text_of(bot.replies(sender, CONNECTION))
    assert "TC\\_Open - NO CONNECTION" in said and "redes, base de datos, sistema operativo" in said  # Markdown-escaped
    [payload] = handoffs(bot.replies(sender, "sí, es de nuestra infraestructura"))
    assert (payload["canal"], payload["intent"]) == ("externo", "soporte_infraestructura")


def test_a_log_in_the_customers_code_suggests_their_developer_and_a_no_goes_on_with_the_report(bot, sender):
    said = text_of(bot.replies(sender, CUSTOM))
    assert "Códigos fuentes y personalizaciones programadas y desarrolladas por el cliente" in said
    replies = bot.replies(sender, "no, seguir con el reporte")
    assert handoffs(replies) == []
    for answer in ("sí, en el estándar también pasa", "no, con todos los pedidos", "STD01"):
        if bot.tracker(sender)["slots"]["requested_slot"] == "modulo":
            bot.replies(sender, "facturación")
        bot.replies(sender, answer)
    [payload] = handoffs(bot.replies(sender, "facilitador.std@example.com"))
    assert "tipo: error de ejecución" in payload["resumen"] and "código: del cliente" in payload["resumen"]
