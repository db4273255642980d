"""The value an answer states, read from its shape: a customer code, an e-mail, a module.

A value is only ever taken from a token that has its shape: a code from a code-shaped token
(STD01, T04512, 004512), never from ordinary words or the whole text; an e-mail from an
address. A tax id (RFC, NIT, RUT, CUIT...) or a routine code is not a customer code, and a
code the customer negates («no es PRIME01, es STD01») is not the one they give.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from protheus.common.text import EMAIL, fold
from protheus.support.modules import ROUTINE, named_module

TOKEN = re.compile(r"[^\W_][\w-]*[^\W_]|[^\W_]")
# Words that introduce a tax or personal id: the number after them is not a TOTVS customer code.
TAX_ID_WORDS = frozenset(
    {"rfc", "rut", "ruc", "rif", "nit", "cuit", "cuil", "cnpj", "cpf", "nif", "dni", "ci", "cedula", "rtn"}
)
TAX_ID = re.compile(
    r"\b(?:" + "|".join(sorted(TAX_ID_WORDS)) + r")\b\s*(?:(?:es|era|:|#|n[°ºo]\.?|numero|número)\s*)?(?:el\s+)?"
    r"[A-Za-z]{0,4}[-\s]?\d[\dA-Za-z.\-/]*",
    re.IGNORECASE,
)
NEGATED_BEFORE = re.compile(r"\b(?:no|ni|nao|não)(?:\s+(?:es|era|fue|el|la|sea))*\s+$", re.IGNORECASE)
NEGATED_AFTER = re.compile(r"^\s*,?\s*no\s*(?:[,;.!]|$)", re.IGNORECASE)
# Words that introduce something else than the customer's code («el TES 502», «el pedido 1234»).
OTHER_NUMBER_WORDS = frozenset(
    {"tes", "pedido", "factura", "nota", "producto", "proveedor", "registro", "linea", "version", "release", "tel"}
)
# Capitalised words that are never a code: ids' names, acronyms, company suffixes.
NOT_CODES = frozenset(
    {"TES", "SAT", "ERP", "SQL", "TOTVS", "PRIME", "OK", "NO", "SI", "SIM", "ID", "PDF", "IVA", "XML", "CFDI", "NF"}
    | {"SA", "SAC", "SRL", "SAS", "LTDA", "CIA", "SPA", "EIRL", "CV", "TI", "IT"}
    | {w.upper() for w in TAX_ID_WORDS}
)
# «mi código es», «código de cliente:», «cod. cliente el»: the word right after is the code.
CODE_NAMED = re.compile(r"\bcod(?:igo|\.)?(?:\s+de)?(?:\s+cliente)?(?:\s+(?:es|era|seria))?(?:\s*:)?(?:\s+el)?\s*$")
MIN_LETTERS = 3
# Words that are never a code, even in capitals: answers and fillers («NOSE», «SIP»), question words.
COMMON_WORDS = frozenset(
    {"nose", "sip", "nop", "nel", "dale", "vale", "listo", "claro", "ok", "okay", "gracias", "hola", "que", "como"}
    | {"donde", "cual", "cuál", "ninguno", "nada", "todos", "todas", "igual", "tampoco", "bueno", "correcto", "exacto"}
    | {"mande", "perdon", "espere", "cancelar", "ayuda", "si", "sim", "nao", "pues", "va", "simon", "negativo"}
    | {"codigo", "cliente", "ese", "este", "eso", "el", "la", "mi", "es", "de", "del", "nuestro"}
)
MAX_SHORT_ANSWER = 3  # words: a capitalised word alone («ACME») is a code only in so short an answer
OTHER_ID_REACH = 5  # words back in the same clause
MIN_DIGITS, MAX_DIGITS = 3, 10
MAX_CODE = 32


@dataclass(frozen=True)
class Token:
    text: str
    before: tuple[str, ...]  # the folded words just before it, nearest last
    preceding: str  # the text before it
    following: str  # the text after it


def _tokens(text: str) -> list[Token]:
    cleaned = TAX_ID.sub(" ", EMAIL.sub(" ", text))
    matches = list(TOKEN.finditer(cleaned))
    words = [m.group(0) for m in matches]
    return [
        Token(word, tuple(fold(w) for w in words[max(0, i - 3) : i]), cleaned[: m.start()], cleaned[m.end() :])
        for i, (word, m) in enumerate(zip(words, matches, strict=True))
    ]


def _code_shaped(token: Token, shouting: bool, short: bool) -> bool:
    """Letters and digits (STD01), digits only of a code's length (004512), or a word right after
    «código» («mi código es acme») or written in capitals in a short answer («ACME», «es ACME»): a
    lone word in small letters is a word («perfecto»), not a code."""
    word = token.text
    if len(word) > MAX_CODE or ROUTINE.fullmatch(word) or word.upper() in NOT_CODES:
        return False
    letters, digits = any(c.isalpha() for c in word), any(c.isdigit() for c in word)
    if letters and digits:
        return True
    if digits and not letters:
        return MIN_DIGITS <= len(word) <= MAX_DIGITS
    if len(word) < MIN_LETTERS or fold(word) in COMMON_WORDS:
        return False
    if CODE_NAMED.search(fold(token.preceding)):  # «mi código es acme»
        return True
    return not shouting and word.isupper() and short


def _introduced_by_other_id(token: Token) -> bool:
    """«el TES 502», «el TES que usamos es el 501», «el pedido que falla es el 004512»: a word a
    few words before, in the same clause, names something else than the customer's code."""
    clause = re.split(r"[,.;:!?¿¡()]", fold(token.preceding))[-1].split()[-OTHER_ID_REACH:]
    return any(w in TAX_ID_WORDS or w in OTHER_NUMBER_WORDS for w in clause)


def _negated(token: Token) -> bool:
    """«no es PRIME01», «ni PRIME01», «PRIME01 no, STD01» (not «no, STD01»: that «no» answers
    something else)."""
    return bool(NEGATED_BEFORE.search(token.preceding) or NEGATED_AFTER.match(token.following))


def customer_codes(text: str) -> list[str]:
    """The customer codes the text states, in order (upper-cased), without tax ids, routine
    codes and codes the customer negates."""
    letters = [c for c in text if c.isalpha()]
    shouting = len(letters) >= 8 and all(c.isupper() for c in letters)
    tokens = _tokens(text)
    short = len(tokens) <= MAX_SHORT_ANSWER
    found = [t for t in tokens if _code_shaped(t, shouting, short) and not _introduced_by_other_id(t)]
    kept = [t for t in found if not _negated(t)] or ([] if len(found) > 1 else found)
    return [t.text.upper() for t in kept]


def customer_code(text: str) -> str | None:
    """The code the answer gives: the last one stated («PRIME01... no, perdón, STD01» → STD01)."""
    codes = customer_codes(text)
    return codes[-1] if codes else None


def mentions_other_id(text: str) -> bool:
    """The text gives a tax or personal id (RFC, NIT, RUT... and its number): not the TOTVS code."""
    return bool(TAX_ID.search(text or ""))


def email(text: str) -> str | None:
    """The last e-mail address in the text, lower-cased."""
    found = EMAIL.findall(text or "")
    return found[-1].lower().rstrip(".") if found else None


def module(text: str, instead_of: str | None = None) -> str | None:
    """The module or routine the answer gives, or the correction of `instead_of` gives
    (protheus.support.modules.named_module)."""
    return named_module(text, instead_of)
