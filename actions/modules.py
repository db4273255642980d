"""Protheus modules and routines the customer may name (data/nlu/entidades.yml)."""

from __future__ import annotations

import re
from functools import lru_cache

import yaml

from protheus.paths import PROJECT
from protheus.text import fold

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
