"""Contact data masked for roles that may not see it; codes and dates stay readable."""

import pytest

from protheus.text import fold, mask_contacts


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
