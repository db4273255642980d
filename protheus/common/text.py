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


SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")
# [label](target "title") and <scheme:target>: the two ways markdown makes a link.
MARKDOWN_LINK = re.compile(r"\[([^\]\n]*)\]\(\s*<?((?:[^()\s<>]|\([^()\s]*\))*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*)>")
MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>])")


def _safe(target: str) -> bool:
    return target.strip().lower().startswith(SAFE_LINK_SCHEMES)


def safe_links(text: str) -> str:
    """Markdown links kept only towards http(s) and mailto; any other (javascript:, data:,
    a relative path) becomes its label as plain text."""
    text = MARKDOWN_LINK.sub(lambda m: m.group(0) if _safe(m.group(2)) else m.group(1), text)
    return AUTOLINK.sub(lambda m: m.group(0) if _safe(m.group(1)) else m.group(1), text)


def markdown_plain(text: str) -> str:
    """Customer text quoted inside a bot message, escaped so markdown shows it as written (no
    link, image or emphasis made of what the customer typed)."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", text)


def csv_cell(value: object) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: neutralise them. A NUL, which a
    customer can send, has no place in a CSV (the csv module refused the whole export: a 500).
    A list (tags) is one cell, joined with «; »."""
    value = "; ".join(str(v) for v in value) if isinstance(value, list) else value
    text = "" if value is None else str(value).replace("\x00", "")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def typed_lines(text: str) -> str:
    """A textarea's text with its line breaks as one LF each: browsers send CRLF, which counted
    twice against the limits the form itself counts once."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
