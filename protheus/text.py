"""Text helpers shared by the actions and the console: folding and masking contact data."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower case without accents, so "facturacion" matches "facturación"."""
    decomposed = unicodedata.normalize("NFKD", (text or "").strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A phone number: optional +country code, then at least 7 digits in groups separated by
# spaces, dashes or parentheses. Dates (12/05/2026), versions (12.1.2310) and short codes
# stay visible.
PHONE = re.compile(r"(?<![\w/.])(?:\+\d{1,3}[\s-]?)?(?:\(\d{1,4}\)[\s-]?)?\d(?:[\s-]?\d){6,14}(?![\w/]|\.\d)")


def _mask_email(match: re.Match) -> str:
    local, domain = match.group(0).split("@", 1)
    return f"{local[0]}***@***.{domain.rsplit('.', 1)[-1]}"


def _mask_phone(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "*** *** " + digits[-2:]


def mask_contacts(text: str) -> str:
    """E-mail addresses and phone numbers hidden for roles that may not see them."""
    return PHONE.sub(_mask_phone, EMAIL.sub(_mask_email, text or ""))
