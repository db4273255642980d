"""Nothing private enters the training data: e-mails, phone numbers, tax ids, customer
codes and names are replaced by placeholders before an example is written.

Names are found by rules (self-introductions, signatures, the customers table) and by
spaCy's named-entity recogniser (es_core_news_sm, PER), which also finds a bare name in
the middle of a sentence («ayer María González cargó mal las facturas»).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from protheus.common.text import fold, mask_contacts

EMAIL_TOKEN, PHONE_TOKEN, TAX_TOKEN = "<correo>", "<telefono>", "<id_fiscal>"
CODE_TOKEN, NAME_TOKEN = "<codigo_cliente>", "<nombre>"

# A tax id after its name: RFC (México), CUIT/CUIL (Argentina), NIT (Colombia, Guatemala,
# Bolivia), RUT (Chile, Uruguay), RUC (Perú, Ecuador, Paraguay).
LABELLED_TAX_ID = re.compile(
    r"\b(RFC|CUIT|CUIL|NIT|RUT|R\.U\.T\.?|RUC)\b(\s*(?:n[°ºo.]*\s*)?(?:es\s+|:\s*|#\s*|=\s*|\s))\s*[A-ZÑ&0-9][A-ZÑ&0-9.\-]{5,20}[A-Z0-9]",
    re.IGNORECASE,
)
TAX_ID_FORMATS = [
    re.compile(r"\b[A-ZÑ&]{3,4}\d{6}[A-Z0-9]{3}\b", re.IGNORECASE),  # RFC
    re.compile(r"\b(?:20|23|24|27|30|33|34)-?\d{8}-?\d\b"),  # CUIT / CUIL
    re.compile(r"\b\d{1,3}(?:\.\d{3}){2}-[\dkK]\b"),  # RUT / NIT with dots: 12.345.678-5, 900.123.456-7
    re.compile(r"\b\d{7,9}-[\dkK]\b"),  # RUT / NIT / RUC without dots: 12345678-K
    re.compile(r"\b(?:10|15|17|20)\d{9}\b"),  # RUC Perú (11 digits)
    re.compile(r"\b\d{10}001\b"),  # RUC Ecuador (13 digits)
]
CODE_AFTER_WORD = re.compile(
    r"\b(c[oó]digo(?:\s+de)?\s+cliente|n[uú]mero\s+de\s+cliente|cliente)(\s*(?:es\s+|:\s*|#\s*|n[°º.]\s*)?)"
    r"([A-Z]{2,}[-_]?\d+[A-Z0-9]*)\b",
    re.IGNORECASE,
)
NAME = r"[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+(?:\s+(?:de\s+|del\s+|la\s+)?[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+){0,3}"
INTRODUCTION = re.compile(rf"\b(me\s+llamo|mi\s+nombre\s+es|les\s+escribe|le\s+escribe|habla|soy)\s+({NAME})")
SIGNATURE = re.compile(
    rf"\b(saludos|atte\.?|atentamente|cordialmente|gracias)(,?\s+)({NAME})(?=\s*[.!]?\s*$)", re.IGNORECASE
)
# Capitalised words after "soy" that are not names.
NOT_NAMES = {
    "cliente",
    "prime",
    "protheus",
    "totvs",
    "usuario",
    "usuaria",
    "el",
    "la",
    "de",
    "nuevo",
    "nueva",
    "administrador",
    "administradora",
    "contador",
    "contadora",
    "consultor",
    "consultora",
    "gerente",
    "buenos",
    "buenas",
    "hola",
    "saludos",
    "gracias",
}


SPACY_MODEL = "es_core_news_sm"


@lru_cache(maxsize=1)
def _recogniser() -> Any:
    """spaCy's Spanish pipeline with only what the named-entity recogniser needs."""
    import spacy

    return spacy.load(SPACY_MODEL, exclude=["parser", "lemmatizer", "tagger", "morphologizer", "attribute_ruler"])


def person_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the people the recogniser finds (capitalised, not support words)."""
    spans = []
    for entity in _recogniser()(text).ents:
        words = entity.text.split()
        if entity.label_ != "PER" or not words[0][:1].isupper() or "<" in entity.text:
            continue
        if any(fold(word) in NOT_NAMES or word.isupper() for word in words):
            continue
        spans.append((entity.start_char, entity.end_char))
    return spans


def _placeholder(token: str) -> Callable[[str], str]:
    return lambda _found: token


@dataclass
class Scrubber:
    """Known customer codes and names (from the customers table) are replaced wherever they appear;
    with `recognise_names`, so are the names spaCy recognises."""

    customer_codes: Iterable[str] = field(default_factory=list)
    names: Iterable[str] = field(default_factory=list)
    recognise_names: bool = True

    def __post_init__(self) -> None:
        codes = sorted({c.strip() for c in self.customer_codes if c and c.strip()}, key=len, reverse=True)
        self._codes = re.compile(r"\b(" + "|".join(map(re.escape, codes)) + r")\b", re.IGNORECASE) if codes else None
        names = sorted({n.strip() for n in self.names if n and len(n.strip()) > 2}, key=len, reverse=True)
        self._names = [re.compile(r"(?<!\w)" + re.escape(fold(n)) + r"(?!\w)") for n in names]

    def scrub(self, text: str) -> str:
        # The console's masking, with placeholders: e-mails before tax ids (digits in an address
        # belong to it), phones after them (a CUIT or a RUC is written like a phone number).
        text = mask_contacts(text, email=_placeholder(EMAIL_TOKEN), phone=None)
        text = LABELLED_TAX_ID.sub(lambda m: f"{m.group(1)}{m.group(2)}{TAX_TOKEN}", text)
        for pattern in TAX_ID_FORMATS:
            text = pattern.sub(TAX_TOKEN, text)
        text = mask_contacts(text, email=_placeholder(EMAIL_TOKEN), phone=_placeholder(PHONE_TOKEN))
        text = CODE_AFTER_WORD.sub(lambda m: f"{m.group(1)}{m.group(2)}{CODE_TOKEN}", text)
        if self._codes:
            text = self._codes.sub(CODE_TOKEN, text)
        text = INTRODUCTION.sub(self._introduction, text)
        text = SIGNATURE.sub(lambda m: f"{m.group(1)}{m.group(2)}{NAME_TOKEN}", text)
        text = self._known_names(text)
        return self._recognised_names(text) if self.recognise_names else text

    @staticmethod
    def _recognised_names(text: str) -> str:
        for start, end in reversed(person_spans(text)):
            text = text[:start] + NAME_TOKEN + text[end:]
        return text

    @staticmethod
    def _introduction(match: re.Match) -> str:
        if match.group(2).split()[0].lower() in NOT_NAMES:
            return match.group(0)
        return f"{match.group(1)} {NAME_TOKEN}"

    def _known_names(self, text: str) -> str:
        """Names as written in the customers table, matched without case or accents."""
        for pattern in self._names:
            folded = fold(text)
            found = pattern.search(folded)
            while found:  # folding keeps lengths for Latin text, so positions carry over
                text = text[: found.start()] + NAME_TOKEN + text[found.end() :]
                folded = fold(text)
                found = pattern.search(folded)
        return text


def dedupe_key(text: str) -> str:
    """Two examples are the same when they differ only in case, accents or spaces."""
    return " ".join(fold(text).split())
