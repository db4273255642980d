"""What the classifiers read: the request, without the greeting, thanks or signature around it."""

import pytest

from protheus.support.customer_words import classification_text
from protheus.support.error_log import LOG_PLACEHOLDER


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("hola, buenas tardes, ¿qué es el soporte prime?", "¿qué es el soporte prime?"),
        ("gracias, y otra cosa: ¿el soporte prime cubre fines de semana?", "¿el soporte prime cubre fines de semana?"),
        ("saludos, quiero reportar un error en la facturación", "quiero reportar un error en la facturación"),
        ("¿en qué horario atienden los días sábados? gracias", "¿en qué horario atienden los días sábados?"),
        (
            "Buen día. El pedido no graba desde ayer, ¿me ayudan? Atte. Juan Pérez - Ferretería López",
            "El pedido no graba desde ayer, ¿me ayudan?",
        ),
        (
            "Listo, por hoy ya no los molesto más. Me desconecto y el lunes seguimos. Saludos cordiales, Paty",
            "Listo, por hoy ya no los molesto más. Me desconecto y el lunes seguimos.",
        ),
    ],
)
def test_what_surrounds_the_request_is_dropped(text, read):
    assert classification_text(text) == read


@pytest.mark.parametrize(
    "text",
    [
        "hola",
        "buenas tardes",
        "muchas gracias",
        "gracias, hasta luego",
        "Muchas gracias. Saludos",
        "no gracias",
        "gracias a usted",
    ],
)
def test_a_greeting_or_thanks_alone_is_the_request(text):
    assert classification_text(text) == text


def test_a_log_alone_is_read_as_the_placeholder():
    log = "variable does not exist C5_XTIPO on MATA410(MATA410.PRW) 12/03/2024 line : 2345"
    assert classification_text(log) == LOG_PLACEHOLDER
    assert classification_text("hola, al grabar el pedido me sale esto: " + log) == (
        f"al grabar el pedido me sale esto: {LOG_PLACEHOLDER}"
    )


def test_a_log_from_the_customers_own_code_reads_as_any_log_the_words_decide():
    log = "type mismatch on + on U_XCALCDESC(XCALCDESC.PRW) line : 33"
    assert classification_text(log) == LOG_PLACEHOLDER  # the error form says whose code it is
    words = "esa función la hizo nuestro programador externo: "
    assert classification_text(words + log) == f"esa función la hizo nuestro programador externo: {LOG_PLACEHOLDER}"
