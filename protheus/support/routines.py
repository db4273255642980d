"""Protheus routines, their modules, and whose code a source is: read from rutinas.yml (data).

A log names a source (MATA410.PRW), a function (A410GRAVA, M410LIOK, FWFORMVIEW:ACTIVATE) or a
`[remark: …]` line; rutinas.yml says which standard routine each belongs to, the routine's
module, and which names are TOTVS code. What cannot be known stays empty, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from protheus.common.paths import PROJECT

ROUTINE = re.compile(r"\b([A-Z]{4}\d{3})[A-Z]?\b", re.IGNORECASE)
MODULE = re.compile(r"\bSIGA[A-Z]{3,4}\b", re.IGNORECASE)


@dataclass(frozen=True)
class Routines:
    modules: dict[str, str]  # routine → module
    prefixes: dict[str, str]  # the four letters of a routine family (FINA050) → module
    families: dict[str, str]  # routines of their own shape (SPEDFISCAL, HSPAHRC4), by prefix → module
    functions: list[tuple[re.Pattern[str], str]]  # entry points and helpers → routine template
    totvs: tuple[str, ...]  # name prefixes of TOTVS's own sources, classes and functions

    def module_of(self, routine: str | None) -> str | None:
        """MATA410 → SIGAFAT; a family's module for a routine not listed; None when unknown."""
        if not routine:
            return None
        code = routine.upper()
        if code in self.modules:
            return self.modules[code]
        family = self._family(code)
        return self.families[family] if family else self.prefixes.get(code[:4])

    def _family(self, code: str) -> str | None:
        return next((p for p in self.families if code.startswith(p)), None)  # longest prefix first (routines())

    def routine_of(self, name: str | None) -> str | None:
        """The standard routine a source or function belongs to: MATA103X → MATA103 (a routine's
        companion), M410LIOK → MATA410 (an entry point), A131GERA → MATA131 (a helper), SPEDFISCAL as
        listed. None when it is not one."""
        if not name:
            return None
        code = name.upper().split(":")[0].removeprefix("U_")  # a class method: its class
        if code in self.modules or self._family(code):
            return code
        found = ROUTINE.fullmatch(code) or ROUTINE.fullmatch(code[:8])
        if found and self.module_of(found.group(1)):
            return found.group(1).upper()
        for pattern, template in self.functions:
            match = pattern.match(code)
            if match:
                return match.expand(template)
        return None

    def is_totvs(self, name: str | None) -> bool:
        """A source, class or function of TOTVS (the framework, the standard routines), as opposed
        to the customer's or a third party's (U_ functions, Z/X sources, their own classes). A name
        shaped like an entry point or a helper (A261TOK) is not enough: customers name theirs so."""
        if not name:
            return False
        code = name.upper()
        if code.startswith("U_"):
            return False
        routine = ROUTINE.fullmatch(code) or ROUTINE.fullmatch(code[:8])
        standard = code in self.modules or self._family(code) or (routine and self.module_of(routine.group(1)))
        return code.startswith(self.totvs) or bool(standard)


def _compiled(raw: dict | None) -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(pattern, re.IGNORECASE), template) for pattern, template in (raw or {}).items()]


@lru_cache(maxsize=1)
def routines(path: Path = PROJECT.routines) -> Routines:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    modules = {k.upper(): v for k, v in (data.get("rutinas") or {}).items()}
    prefixes = {k.upper(): v for k, v in (data.get("prefijos") or {}).items()}
    families = {k.upper(): v for k, v in (data.get("familias") or {}).items()}
    families = dict(sorted(families.items(), key=lambda item: len(item[0]), reverse=True))
    functions = _compiled(data.get("puntos_de_entrada")) + _compiled(data.get("funciones"))
    totvs = tuple(str(p).upper() for p in data.get("codigo_totvs") or [])
    return Routines(modules, prefixes, families, functions, totvs)
