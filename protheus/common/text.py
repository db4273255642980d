"""Text helpers shared by the actions and the console: folding and masking contact data."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable


def fold(text: str) -> str:
    """Lower case without accents, so "facturacion" matches "facturación"."""
    decomposed = unicodedata.normalize("NFKD", (text or "").strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# An address as a customer types it for the bot to read (verification, form answers).
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)

# --- masking contact data -----------------------------------------------------------
# Bump when what mask_contacts hides changes: the stored masked copies trainers search
# (customer_messages.masked_search_text) are redone at the next start (protheus.db.prepare).
MASK_VERSION = 1

# Written out so the bot's readers do not take it, an address is still one: «juan [at]
# empresa [dot] com», «juan (arroba) empresa.com», «juan arroba empresa punto com».
_AT = r"(?:[ \t]*@[ \t]*|[ \t]*[\[(][ \t]*(?i:at|arroba)[ \t]*[\])][ \t]*|[ \t]+(?i:arroba)[ \t]+)"
_DOT = r"(?:\.|[ \t]*[\[(][ \t]*(?i:dot|punto)[ \t]*[\])][ \t]*|[ \t]+(?i:punto)[ \t]+)"
_EMAIL_DOT = re.compile(_DOT)
_ANY_EMAIL = re.compile(rf"(?<![\w.+-])([\w.+-]+){_AT}([\w-]+(?:{_DOT}[\w-]+)+)")
# A phone number candidate: an optional +country code or (area code), then 7 to 15 digits in
# groups split by spaces, dots, dashes or parentheses. Not right after a word, a URL's value,
# or a number's dot, comma or dash (the middle of a version, an amount or a date);
# `_is_phone` then tells dates, versions, amounts and addresses apart.
_PHONE = re.compile(
    r"(?<![\w=&?#+@])(?<!\d[.,\-])(?:\(?\+[ \t]?|\()?\d(?:[ \t.()\-\u2010-\u2015]{0,4}\d){6,14}(?!\w|[.,]\d)"
)
_DATE = re.compile(r"\d{1,2}([./-])\d{1,2}\1\d{2,4}|\d{4}([./-])\d{1,2}\2\d{1,2}")
_COMPACT_DATE = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:\d{6})?")  # 20240102[103045]
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")  # 1.234.567, an IP address such as 10.100.200.150
_PERU_MOBILE = re.compile(r"9\d\d\.\d{3}\.\d{3}")  # 987.654.321: written as thousands, still a phone
_DIGIT_GROUP = re.compile(r"\D*(\d+)")
_DATE_OR_TIME_BEFORE = re.compile(r"\d[/:]")  # «12/05/2026 55…», «10:30 55…»: the year or minutes are not the phone's

Replacement = Callable[[str], str]


def _is_phone(candidate: str) -> bool:
    """Whether a run of digits is a phone number rather than a date, a version (12.1.2310), an
    amount (1.234.567), an IP address or a document number padded with zeros (0001-00001234)."""
    if candidate.lstrip("(")[:1] == "+":
        return True
    if _DATE.fullmatch(candidate) or _COMPACT_DATE.fullmatch(candidate):
        return False
    if re.sub(r"\D", "", candidate).startswith("000"):
        return False
    if _THOUSANDS.fullmatch(candidate):
        return bool(_PERU_MOBILE.fullmatch(candidate))
    # Past the first, a dot splits groups of three or more digits in a phone (55.8765.4321,
    # 234.5678), one or two in versions and addresses (12.1.2310, 172.16.0.10).
    return all(len(re.sub(r"\D", "", group)) >= 3 for group in candidate.split(".")[1:])


def _phone_spans(text: str) -> list[tuple[int, int]]:
    """Where the phone numbers are. A candidate that is not one may still end in one («versión
    12.1.2310 55 1234 5678»): the search goes on after its first group of digits."""
    spans, position = [], 0
    while found := _PHONE.search(text, position):
        first = _DIGIT_GROUP.match(found.group())
        assert first is not None  # a candidate starts with its first digits
        before = _DATE_OR_TIME_BEFORE.fullmatch(text, max(found.start() - 2, 0), found.start())
        ends_a_date = before is not None and len(first.group(1)) <= 4
        if _is_phone(found.group()) and not ends_a_date:
            spans.append(found.span())
            position = found.end()
        else:
            position = found.start() + first.end()
    return spans


def _normalised(text: str) -> tuple[str, list[int]]:
    """NFKC, so full-width and other compatibility forms match (＠, ５５, ＋), without combining
    accents (an address typed with a separate accent, e + U+0301): the text, and for each of its characters the
    index of the character it came from, so spans map back."""
    parts: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        normal = char if char.isascii() else _without_accents(unicodedata.normalize("NFKC", char))
        parts.append(normal)
        origin.extend([index] * len(normal))
    return "".join(parts), origin


def _without_accents(text: str) -> str:
    return "".join(char for char in text if not unicodedata.combining(char))


def _mask_email(found: str) -> str:
    match = _ANY_EMAIL.fullmatch(found)
    local, domain = (match.group(1), match.group(2)) if match else (found, found)
    return f"{local[0]}***@***.{_EMAIL_DOT.split(domain)[-1]}"


def _mask_phone(found: str) -> str:
    return "*** *** " + re.sub(r"\D", "", found)[-2:]


def mask_contacts(
    text: str, *, email: Replacement | None = _mask_email, phone: Replacement | None = _mask_phone
) -> str:
    """E-mail addresses and phone numbers hidden: «j***@***.com», «*** *** 78». The one masking
    of the project: what trainers and exports show, what trainers search, and (with
    placeholders as replacements) the scrubbing of training data. `None` leaves that kind as
    written. Conversation ids holding a phone (whatsapp:+52…, tg:…) are masked the same way."""
    text = text or ""
    normal, origin = _normalised(text)
    found = [(m.start(), m.end(), email) for m in _ANY_EMAIL.finditer(normal)]
    blanked = "".join(_blank(normal, [(start, end) for start, end, _ in found]))
    found += [(start, end, phone) for start, end in _phone_spans(blanked)]
    pieces, kept_from = [], 0
    for start, end, replace in sorted(found, key=lambda span: span[0]):
        if replace is None:
            continue
        begin, finish = origin[start], origin[end - 1] + 1
        pieces += [text[kept_from:begin], replace(normal[start:end])]
        kept_from = finish
    return "".join(pieces) + text[kept_from:]


def _blank(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The text with these spans as NULs, so no phone is read inside an address."""
    pieces, kept_from = [], 0
    for start, end in spans:
        pieces += [text[kept_from:start], "\x00" * (end - start)]
        kept_from = end
    return pieces + [text[kept_from:]]


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
