"""Private data never reaches the training files: real-format tax ids and phone numbers of
several countries, e-mails, customer codes and names become placeholders."""

import pytest

from protheus.trainer.scrubber import Scrubber, dedupe_key

SCRUB = Scrubber(customer_codes=["PRIME01", "STD01"], names=["Laura Méndez", "Distribuidora Andina S.A."])


@pytest.mark.parametrize(
    "text, secret, placeholder",
    [
        ("mi RFC es GODE561231GR8", "GODE561231GR8", "<id_fiscal>"),  # México, persona física
        ("facturamos con ABC680524P76", "ABC680524P76", "<id_fiscal>"),  # México, persona moral
        ("CUIT 20-12345678-9", "12345678", "<id_fiscal>"),  # Argentina
        ("el cuil es 27123456780", "27123456780", "<id_fiscal>"),  # Argentina, sin guiones
        ("NIT 900.123.456-7", "900.123.456-7", "<id_fiscal>"),  # Colombia
        ("nuestro nit: 1234567-8", "1234567-8", "<id_fiscal>"),  # Guatemala
        ("mi rut es 12.345.678-5", "12.345.678-5", "<id_fiscal>"),  # Chile
        ("RUT 7654321-K", "7654321-K", "<id_fiscal>"),  # Chile, dígito K
        ("RUT 211234560018", "211234560018", "<id_fiscal>"),  # Uruguay
        ("RUC 20100070970", "20100070970", "<id_fiscal>"),  # Perú
        ("el RUC 1790011674001 de la empresa", "1790011674001", "<id_fiscal>"),  # Ecuador
        ("ruc 80012345-6", "80012345-6", "<id_fiscal>"),  # Paraguay
        ("llámeme al +52 55 1234 5678", "1234 5678", "<telefono>"),  # México
        ("mi celular 011 15 4567-8901", "4567-8901", "<telefono>"),  # Argentina
        ("tel (601) 234 5678", "234 5678", "<telefono>"),  # Colombia
        ("fono +56 9 8765 4321", "8765 4321", "<telefono>"),  # Chile
        ("al 987 654 321 por favor", "987 654 321", "<telefono>"),  # Perú
        ("escriba a juan.perez@empresa.com.mx", "juan.perez@empresa.com.mx", "<correo>"),
        # the forms the console's masking reads (protheus.common.text.mask_contacts)
        ("llámeme al 55.8765.4321", "8765.4321", "<telefono>"),  # México, with dots
        ("fijo +593 (2) 234.5678", "234.5678", "<telefono>"),  # Ecuador
        ("cel ５５ １２３４ ５６７８", "５６７８", "<telefono>"),  # full-width digits
        ("whatsapp +54 9 11 4567-8901", "4567-8901", "<telefono>"),  # Argentina
        ("escriba a juan＠empresa.com", "empresa", "<correo>"),  # full-width at sign
        ("escriba a juan [at] empresa [dot] com", "empresa", "<correo>"),
        ("escriba a juan (arroba) empresa.com", "empresa", "<correo>"),
        ("escriba a 20123456789@gmail.com", "20123456789", "<correo>"),  # digits of an address are the address
        ("mi código de cliente es PRIME01", "PRIME01", "<codigo_cliente>"),
        ("cliente: ACME-00451 tiene el error", "ACME-00451", "<codigo_cliente>"),
        ("somos std01 y falla el pedido", "std01", "<codigo_cliente>"),
        ("me llamo Juan Pérez y no puedo facturar", "Juan Pérez", "<nombre>"),
        ("hablé con laura mendez ayer", "laura mendez", "<nombre>"),
        ("la empresa es Distribuidora Andina S.A.", "Distribuidora Andina", "<nombre>"),
        ("no anda el pedido. Saludos, Ana María López", "Ana María", "<nombre>"),
    ],
)
def test_private_data_becomes_a_placeholder(text, secret, placeholder):
    scrubbed = SCRUB.scrub(text)
    assert secret not in scrubbed and placeholder in scrubbed


@pytest.mark.parametrize(
    "text",
    [
        "soy cliente prime y falla MATA410 en la versión 12.1.2310",
        "el pedido 000123 del 12/05/2026 no graba",
        "error 1234 en la rutina FINA050",
        "el total es 1.234,56 y vence el 01/02/2024 a las 10:30",
        "THREAD ERROR en MATA410.PRW line : 1283",
        "¿qué es el Soporte Prime?",
    ],
)
def test_support_vocabulary_stays(text):
    assert SCRUB.scrub(text) == text


def test_dedupe_key_ignores_case_accents_and_spaces():
    assert dedupe_key("  ¿Qué es el  SOPORTE prime? ") == dedupe_key("¿que es el soporte Prime?")
    assert dedupe_key("error al facturar") != dedupe_key("error al compras")


def _names():
    import yaml

    from protheus.common.paths import PROJECT

    return yaml.safe_load((PROJECT.root / "tests" / "data" / "nombres_sueltos.yml").read_text(encoding="utf-8"))


def test_bare_names_are_found_by_the_recogniser():
    scrubber = Scrubber()
    data = _names()
    for sentence, name in data["con_nombre"]:
        scrubbed = scrubber.scrub(sentence)
        assert name not in scrubbed and "<nombre>" in scrubbed, scrubbed
    for sentence in data["sin_nombre"]:
        assert scrubber.scrub(sentence) == sentence


def test_without_the_recogniser_bare_names_pass():
    rules_only = Scrubber(recognise_names=False)
    passed = [name for sentence, name in _names()["con_nombre"] if name in rules_only.scrub(sentence)]
    assert len(passed) == len(_names()["con_nombre"])  # what the recogniser adds
