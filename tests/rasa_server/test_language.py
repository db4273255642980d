"""Messages wholly in Portuguese or English are told apart from Spanish with Portuguese words."""

import pytest

from protheus.rasa_server.nlu.language import foreign_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Olá, estou com um erro na rotina de pedido de venda, podem me ajudar?", "pt"),
        ("Boa tarde, preciso de ajuda com o faturamento", "pt"),
        ("o pedido de venda não está gravando desde ontem", "pt"),
        ("Hi, I have an error when saving the sales order, can you help me?", "en"),
        ("what are your office hours?", "en"),
    ],
)
def test_wholly_foreign_messages(text, language):
    assert foreign_language(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "el chamado de la nota fiscal no avanza",
        "necesito la atualização de la rotina",
        "buen dia, o sistema não grava a nota fiscal de entrada",
        "q onda, no timbra la factura",
        "me podés pasar con alguien",
        "ok",
        "sí",
        "chamado aberto",
        "quiero reportar un error\nTHREAD ERROR (4412) variable does not exist on MATA410(MATA410.PRW) line : 9",
    ],
)
def test_spanish_with_portuguese_words_short_answers_and_logs_are_spanish(text):
    assert foreign_language(text) is None


def test_an_english_log_alone_is_not_an_english_message():
    log = "THREAD ERROR (4412, jlopez, SRV01) 12/03/2024\ntype mismatch on + on FA050GRV(FINA050.PRX) line : 567"
    assert foreign_language(log) is None
