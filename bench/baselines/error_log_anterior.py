"""The error log parser as it was before issue 22 (commit 4a3b294), kept only for bench/error_logs.py
to measure the new parser against it in the same run. Not used by the bot.

Protheus error logs pasted into the chat: find them, read them, and keep them apart from
the customer's own words.

A pasted `error.log` is hundreds of characters of English the classifier never learnt from;
the intent is in what the customer wrote around it. `split_log` separates the two (the NLU
components classify the words, with a placeholder where the log was: protheus.support.customer_words),
and `parse` reads the
log into the fields an agent needs: error, routine and source, line, table and field,
release and build. The routine's module comes from rutinas.yml (data).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

# What the classifier reads where a log was: the words customers use for it. An error in the
# customer's own code (U_ functions, X/Z sources) is not a product error: it reads differently.
OLD_ROUTINES = Path(__file__).with_name("rutinas_anterior.yml")
LOG_PLACEHOLDER = "error log"
CUSTOM_LOG_PLACEHOLDER = "error log en fuente personalizado"

# Error messages of the AdvPL runtime, DBAccess/TopConnect and the AppServer (lower case).
KNOWN_ERRORS = [
    "variable does not exist",
    "array out of bounds",
    "type mismatch",
    "argument error",
    "argument #",
    "alias does not exist",
    "invalid macro source",
    "work area not in use",
    "open empty work area",
    "variable is not an object",
    "cannot find method",
    "invalid readmsint",
    "bad index",
    "index does not match",
    "stack overflow",
    "unique key",
    "duplicate key",
    "deadlock",
    "insufficient memory",
    "incorrect syntax",
    "invalid object name",
    "invalid column name",
    "ora-",
    "function not found",
    "syntax error",
    "dbcreate failed",
    "no such file",
    "error opening file",
    "cannot open",
    "thread error",
    "error log",
    "error.log",
]
_KNOWN = re.compile("|".join(re.escape(e) for e in KNOWN_ERRORS), re.IGNORECASE)
# Lines that only a log has: THREAD ERROR headers, "on FUNC(FILE.PRW) date line : N",
# "Called from", DBAccess errors, build/release lines, stack frames.
LOG_LINE = re.compile(
    r"THREAD ERROR|\bon\s+\S+\(\w+\.(?:PRW|PRX|TLPP|PRG)\)|Called from|\bline\s*:\s*\d+|\bError\s*:\s*-?\d+"
    r"|\[BUILD\b|\bBuild\s+\d+\.\d+\.\d+|\bRPO Release\b|\(\s*From\s+t\w+::",
    re.IGNORECASE,
)
SOURCE = re.compile(r"\b(?:on|from)\s+([A-Z_][\w]*)\s*\(\s*(\w+)\.(PRW|PRX|TLPP|PRG)\s*\)", re.IGNORECASE)
LINE = re.compile(r"\bline\s*:?\s*(\d+)", re.IGNORECASE)
FIELD = re.compile(r"\b([A-Z][A-Z0-9]{1,2}_[A-Z0-9_]{2,10})\b")
ALIAS = re.compile(r"alias does not exist\s+([A-Z][A-Z0-9]{2})\b", re.IGNORECASE)
RELEASE = re.compile(r"\b(12\.1\.\d{2,4})\b")
BUILD = re.compile(r"\b(7\.00\.\d{6}[A-Z]?(?:-\d{8})?)\b")
DB_ERROR = re.compile(r"\bError\s*:\s*(-?\d+)(?:\s*\(\w+\))?(?:\s*\(RC=-?\d+\))?\s*-\s*(.+)", re.IGNORECASE)
ROUTINE = re.compile(r"\b([A-Z]{4}\d{3}[A-Z]?)\b")
SQL_DETAIL = re.compile(r"(?:\[[^\]]*\])+\s*")


@dataclass(frozen=True)
class ErrorLog:
    """What a pasted log says (every field may be missing)."""

    error: str | None = None  # the error message, e.g. "variable does not exist C5_XTIPO"
    routine: str | None = None  # MATA410
    function: str | None = None  # the function that failed, e.g. A410GRAVA
    source: str | None = None  # MATA410.PRW
    line: int | None = None
    field: str | None = None  # C5_XTIPO
    table: str | None = None  # SC5
    release: str | None = None  # 12.1.2310
    build: str | None = None  # 7.00.210324P
    module: str | None = None  # SIGAFAT, from rutinas.yml

    def summary(self) -> str:
        """One line for the agent who takes the hand-off (labels in Spanish)."""
        parts = [
            ("error", self.error),
            ("rutina", self.routine),
            ("función", self.function),
            ("fuente", self.source),
            ("línea", self.line),
            ("tabla", self.table),
            ("campo", self.field),
            ("release", self.release),
            ("build", self.build),
            ("módulo", self.module),
        ]
        return "; ".join(f"{label}: {value}" for label, value in parts if value not in (None, ""))


def _looks_technical(text: str) -> bool:
    """English runtime messages, or text with a source file, a path or a numbered line."""
    return bool(re.search(r"\.(PRW|PRX|TLPP)\b|[A-Z]:\\|\bon\s+\w+\(|\b(of|on|near)\b", text, re.IGNORECASE))


def _log_start(line: str) -> int | None:
    """Where a log begins in the line (after the customer's words, if any), or None."""
    starts = [found.start() for found in [LOG_LINE.search(line)] if found]
    starts += [found.start() for found in _KNOWN.finditer(line) if _looks_technical(line[found.start() :])]
    return min(starts) if starts else None


def split_log(text: str) -> tuple[str, str]:
    """(the customer's words, the log). Without a log the words are the whole text."""
    words, log = [], []
    for line in (text or "").splitlines():
        start = _log_start(line)
        if start is None:
            words.append(line)
            continue
        words.append(line[:start])
        log.append(line[start:])
    return " ".join(w.strip() for w in words if w.strip()), "\n".join(log).strip()


def is_protheus_error(text: str) -> bool:
    """The text names an error message of the AdvPL runtime or DBAccess."""
    return bool(_KNOWN.search(text or ""))


def placeholder(log: str) -> str:
    """What the classifier reads for this log: a custom-code log reads as one."""
    found = parse(log)
    custom = found is not None and (
        (found.function or "").startswith("U_") or (found.routine or "")[:1] in ("X", "Z", "U")
    )
    return CUSTOM_LOG_PLACEHOLDER if custom else LOG_PLACEHOLDER


def looks_like_log(text: str) -> bool:
    return bool(split_log(text)[1])


@lru_cache(maxsize=1)
def _routine_map(path: Path = OLD_ROUTINES) -> tuple[dict[str, str], dict[str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return (
        {k.upper(): v for k, v in (data.get("rutinas") or {}).items()},
        {k.upper(): v for k, v in (data.get("prefijos") or {}).items()},
    )


def module_of(routine: str | None) -> str | None:
    """The module of a routine (MATA410 → SIGAFAT), or None when rutinas.yml does not say."""
    if not routine:
        return None
    routines, prefixes = _routine_map()
    code = routine.upper()
    return routines.get(code) or prefixes.get(code[:4])


def _table_of(field: str) -> str:
    """Protheus names a field after its table: C5_XTIPO is in SC5, ZZ1_COD in ZZ1."""
    prefix = field.split("_", 1)[0]
    return "S" + prefix if len(prefix) == 2 else prefix


def _error_message(log: str) -> str | None:
    database = DB_ERROR.search(log)
    if database:
        detail = re.split(r"\. |\(\s*From", SQL_DETAIL.sub("", database.group(2)))[0].strip(" .")
        return f"Error {database.group(1)} - {detail}"[:200]
    for line in log.splitlines():
        found = _KNOWN.search(line)
        if found and not line.strip().upper().startswith("THREAD ERROR"):
            message = line[found.start() :]
            message = SOURCE.split(message)[0] if SOURCE.search(message) else message
            return re.split(r"\s+on\s+\S+\(|\s+\d{2}/\d{2}/\d{4}", message)[0].strip(" .:")[:200]
    return None


def parse(text: str) -> ErrorLog | None:
    """The fields of the log in the text, or None when there is no log."""
    _, log = split_log(text)
    if not log:
        return None
    source = SOURCE.search(log)
    routine = source.group(2).upper() if source else None
    if routine is None:
        found = ROUTINE.search(log)
        routine = found.group(1) if found else None
    field = FIELD.search(log)
    alias = ALIAS.search(log)
    line = LINE.search(log[source.end() :] if source else log)
    release, build = RELEASE.search(text), BUILD.search(text)
    table = _table_of(field.group(1)) if field else (alias.group(1).upper() if alias else None)
    return ErrorLog(
        error=_error_message(log),
        routine=routine,
        function=source.group(1).upper() if source and source.group(1).upper() != routine else None,
        source=f"{source.group(2).upper()}.{source.group(3).upper()}" if source else None,
        line=int(line.group(1)) if line else None,
        field=field.group(1) if field else None,
        table=table,
        release=release.group(1) if release else None,
        build=build.group(1) if build else None,
        module=module_of(routine),
    )
