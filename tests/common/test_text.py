"""Contact data masked for roles that may not see it; codes and dates stay readable."""

import pytest

from protheus.common.text import fold, markdown_plain, mask_contacts, safe_links, typed_lines


@pytest.mark.parametrize(
    "text, hidden",
    [
        ("escríbame a juan.perez@empresa.com.mx", "juan.perez@empresa.com.mx"),
        ("mi celular es +52 55 1234 5678", "1234 5678"),  # México
        ("llámeme al (11) 4567-8901", "4567-8901"),  # Argentina
        ("tel 3001234567", "3001234567"),  # Colombia
        ("llámeme al 3001234567.", "3001234567"),  # at the end of a sentence
        ("fono +56 9 8765 4321", "8765 4321"),  # Chile
    ],
)
def test_contacts_are_masked(text, hidden):
    masked = mask_contacts(text)
    assert hidden not in masked and masked != text


@pytest.mark.parametrize(
    "text",
    [
        "el pedido 000123 del 12/05/2026 en MATA410",
        "cliente PRIME01, versión 12.1.2310",
        "error 1234 en la línea 56",
    ],
)
def test_codes_and_dates_stay(text):
    assert mask_contacts(text) == text


def test_fold():
    assert fold("  FACTURACIÓN ñandú ") == "facturacion nandu"


@pytest.mark.parametrize(
    "text, shown",
    [
        ("[clic](javascript:alert(1))", "clic"),
        ("[clic](JavaScript:alert(1) 'x')", "clic"),
        ("[img](data:text/html;base64,xx)", "img"),
        ("[ruta](/consola)", "ruta"),
        ("<javascript:alert(1)>", "javascript:alert(1)"),
        ("[portal](https://centraldeatendimento.totvs.com/)", "[portal](https://centraldeatendimento.totvs.com/)"),
        ("[correo](mailto:soporte@example.com)", "[correo](mailto:soporte@example.com)"),
        ("<https://example.com>", "<https://example.com>"),
        ("sin enlaces (ni paréntesis raros)", "sin enlaces (ni paréntesis raros)"),
    ],
)
def test_links_only_to_http_and_mailto(text, shown):
    assert safe_links(text) == shown


def test_customer_text_is_quoted_as_plain_text():
    assert markdown_plain("[premio](https://evil.example) *ya*") == r"\[premio\](https://evil.example) \*ya\*"
    from protheus.common.messages import message

    text = message("modulo_no_valido", texto="[gane](https://evil.example)")["text"]
    assert r"«\[gane\](https://evil.example)»" in text


def test_typed_line_breaks_become_one_lf_each():
    assert typed_lines("uno\r\ndos\rtres\ncuatro") == "uno\ndos\ntres\ncuatro"
