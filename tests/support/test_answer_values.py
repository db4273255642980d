"""Values only from their shape: customer codes, modules and e-mails in what customers write."""

import pytest

from protheus.support import answer_values
from protheus.support.modules import named_module


@pytest.mark.parametrize(
    "text, code",
    [
        ("STD01", "STD01"),
        ("ACME", "ACME"),
        ("perfecto", None),
        ("FACTURACIÓN", None),
        ("nuestro código de cliente es el STD01, gracias", "STD01"),
        ("mi código es acme", "ACME"),
        ("el código de cliente es acme-2", "ACME-2"),
        ("soy el cliente std01.", "STD01"),
        ("Somos el cliente 003390, Distribuidora Andina SAC", "003390"),
        ("no es PRIME01, es STD01", "STD01"),
        ("PRIME01... no, perdón, STD01", "STD01"),
        ("ACME01 no, ACME02", "ACME02"),
        ("no es el RFC, es T88001 el código", "T88001"),
        ("el de nosotros es CCS12, el RIF es otra cosa", "CCS12"),
        # Not a code: ordinary words, questions, tax ids, a TES, a company suffix.
        ("ni idea de cuál es nuestro código, ¿lo puedo buscar después?", None),
        ("¿es el mismo código que uso para entrar al portal?", None),
        ("no me acuerdo del código de cliente, ¿dónde lo puedo ver?", None),
        ("el RFC es XAXX010101000", None),
        ("el RUT es 76.123.456-7", None),
        ("RIF J-40112233-5", None),
        ("solo cuando uso el TES 502", None),
        ("somos Distribuidora Andina SAC", None),
        ("no, con todos los pedidos", None),
        ("nose", None),
        ("en el MATA410", None),
    ],
)
def test_a_customer_code_comes_only_from_a_code_shaped_token(text, code):
    assert answer_values.customer_code(text) == code


@pytest.mark.parametrize(
    "text, other_id",
    [("el RFC es XAXX010101000", True), ("mi NIT: 900123456-7", True), ("STD01", False), ("el RFC?", False)],
)
def test_a_tax_id_is_recognised(text, other_id):
    assert answer_values.mentions_other_id(text) is other_id


@pytest.mark.parametrize(
    "text, instead_of, module",
    [
        ("facturación", None, "SIGAFAT"),
        ("en el MATA410 de facturación", None, "MATA410"),
        ("planillas, mae, el cálculo del aguinaldo", None, "SIGAGPE"),
        ("sim, é nos livros fiscais, en el libro IVA ventas", None, "SIGAFIS"),
        ("no, en facturación no; es en compras", None, "SIGACOM"),
        ("no sé, algo del sistema", None, None),
        # A correction: the last module named that is not the one it corrects.
        ("antes le dije facturación pero en realidad es en compras", "SIGAFAT", "SIGACOM"),
        ("Corrijo: el módulo es financiero, no contabilidad", "SIGACTB", "SIGAFIN"),
        ("te dije MATA410 pero es la MATA415", "MATA410", "MATA415"),
        ("la rutina no es FINA050, es FINA040", "FINA050", "FINA040"),
    ],
)
def test_the_module_an_answer_gives(text, instead_of, module):
    assert named_module(text, instead_of) == module


def test_the_last_e_mail_is_taken_lower_cased():
    assert answer_values.email("era Ana@Empresa.com, no, perdón: TI@Empresa.com.") == "ti@empresa.com"
    assert answer_values.email("no lo sé") is None
