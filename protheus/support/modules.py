"""Protheus modules and routines the customer may name (data/nlu/entidades.yml)."""

from __future__ import annotations

import re
from functools import lru_cache

import yaml

from protheus.common.paths import PROJECT
from protheus.common.text import fold

ROUTINE = re.compile(r"\b([A-Za-z]{4}\d{3}[A-Za-z]?)\b")


@lru_cache(maxsize=1)
def module_names() -> dict[str, str]:
    """Folded everyday name or code → module code (SIGAFAT...)."""
    blocks = yaml.safe_load((PROJECT.nlu / "entidades.yml").read_text(encoding="utf-8"))["nlu"]
    names: dict[str, str] = {}
    for block in blocks:
        code = block.get("synonym")
        if not code:
            continue
        names[fold(code)] = code
        for line in block["examples"].splitlines():
            if line.strip().startswith("- "):
                names[fold(line.strip()[2:])] = code
    return names


def normalise_module(text: str | None) -> str | None:
    """The module code or routine named in the text, or None when there is none."""
    if not text:
        return None
    folded = fold(text)
    names = module_names()
    if folded in names:
        return names[folded]
    routine = ROUTINE.search(text)
    if routine:
        return routine.group(1).upper()
    for name in sorted(names, key=len, reverse=True):  # longest first: "contabilidad gerencial"
        if re.search(rf"\b{re.escape(name)}\b", folded):
            return names[name]
    return None


NEGATION_BEFORE = re.compile(r"\b(?:no|ni|nao|não)(?:\s+(?:es|era|fue|e|é|en|el|la|de|del))*\s*$")
NEGATION_AFTER = re.compile(r"^\s*,?\s*(?:no|nao)\s*(?:[,;.!?]|$)")


def mentions(text: str) -> list[tuple[int, str, bool]]:
    """Every module or routine the text names: (position, code, negated), in order. A name the
    customer negates («no es compras», «facturación no») is marked."""
    folded = fold(text)  # same length as the text for Latin script: positions match
    found: list[tuple[int, int, str]] = [(m.start(), m.end(), m.group(1).upper()) for m in ROUTINE.finditer(folded)]
    taken = [(start, end) for start, end, _ in found]
    names = module_names()
    for name in sorted(names, key=len, reverse=True):
        for m in re.finditer(rf"\b{re.escape(name)}\b", folded):
            if not any(m.start() < end and start < m.end() for start, end in taken):
                found.append((m.start(), m.end(), names[name]))
                taken.append((m.start(), m.end()))
    found.sort()
    return [
        (start, code, bool(NEGATION_BEFORE.search(folded[:start]) or NEGATION_AFTER.match(folded[end:])))
        for start, end, code in found
    ]


def named_module(text: str | None, instead_of: str | None = None) -> str | None:
    """The module or routine an answer gives, one the customer does not negate, a routine before
    a module's name: the first named («en libros fiscales, el libro IVA ventas» → SIGAFIS); for a
    correction of `instead_of`, the last one named that is not it («le dije facturación pero es
    compras» → SIGACOM)."""
    kept = [code for _, code, negated in mentions(text or "") if not negated and code != instead_of]
    if instead_of is not None:
        kept.reverse()
    routines = [code for code in kept if ROUTINE.fullmatch(code)]
    return routines[0] if routines else (kept[0] if kept else None)
