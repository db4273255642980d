"""The corpus of real Protheus error logs (tests/error_logs/reais_*.yml): each log verbatim from
its public source, the truth of each field written by hand, a third held out from any tuning
(`reservado: true`), plus the shapes a customer produces when pasting one (variantes.yml).

Shared by the parser's tests and bench/error_logs.py: one reader, one way to compare a field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

FOLDER = Path(__file__).parent
FIELDS = ("es_log", "error", "funcion", "fuente", "linea", "modulo", "tipo", "codigo_del_cliente")


@dataclass(frozen=True)
class RealLog:
    id: str
    origin: str
    text: str
    truth: dict[str, Any]
    held_out: bool


def read_logs(folder: Path = FOLDER) -> list[RealLog]:
    found = []
    for path in sorted(folder.glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("logs") or []:
            truth = {"es_log": True, **(item.get("esperado") or {})}
            found.append(
                RealLog(str(item["id"]), str(item.get("origen", "")), item["texto"], truth, bool(item.get("reservado")))
            )
    return found


def _normal(value: Any) -> Any:
    if isinstance(value, str):
        text = unicodedata.normalize("NFC", value).strip().rstrip(".").strip()
        return re.sub(r"\s+", " ", text).casefold()
    return value


def same(field: str, truth: Any, found: Any) -> bool:
    """A field read right: equal, ignoring case, repeated spaces and a trailing period."""
    return _normal(truth) == _normal(found)


def fields_of(parsed: Any) -> dict[str, Any]:
    """What a parser read, as the corpus names the fields (a parse of None: no log)."""
    if parsed is None:
        return {"es_log": False}
    kind = getattr(parsed, "kind", None)
    return {
        "es_log": True,
        "error": parsed.error,
        "funcion": parsed.function,
        "fuente": parsed.source,
        "linea": parsed.line,
        "modulo": parsed.module,
        "tipo": getattr(kind, "value", kind),
        "codigo_del_cliente": getattr(parsed, "customer_code", None),
    }


def score(logs: list[RealLog], parse: Callable[[str], Any]) -> dict[str, Any]:
    """Per field, where the log shows it: how many read right. Apart: values read where the log
    shows none (guesses)."""
    right: dict[str, list[bool]] = {f: [] for f in FIELDS}
    guessed: dict[str, int] = {f: 0 for f in FIELDS}
    misses: list[tuple[str, str, Any, Any]] = []
    for log in logs:
        found = fields_of(parse(log.text))
        for field in FIELDS:
            truth = log.truth.get(field)
            if truth is None:
                guessed[field] += found.get(field) is not None and field in log.truth
                continue
            ok = same(field, truth, found.get(field))
            right[field].append(ok)
            if not ok:
                misses.append((log.id, field, truth, found.get(field)))
    return {
        "n": len(logs),
        "campos": {f: [sum(v), len(v)] for f, v in right.items()},
        "adivinados": guessed,
        "errores": misses,
    }


FRAME_LINE = re.compile(r"\bon\s+\S.*?\(\s*[\w.\-]+\.(?:PRW|PRX|TLPP|PRG)\s*\)", re.I)
PHONE_WIDTH = 40


def in_a_sentence(log: RealLog) -> RealLog:
    """The log inside what the customer writes around it."""
    text = f"buenas, al grabar el pedido me sale esto: {log.text}\n¿me pueden ayudar? gracias"
    return RealLog(log.id + "/frase", log.origin, text, log.truth, log.held_out)


def on_a_phone(log: RealLog) -> RealLog:
    """Copied from a phone's chat, where long lines come back broken at the screen's width."""
    import textwrap

    lines = [
        textwrap.fill(line, PHONE_WIDTH, break_long_words=False, break_on_hyphens=False)
        for line in log.text.splitlines()
    ]
    return RealLog(log.id + "/movil", log.origin, "\n".join(lines), log.truth, log.held_out)


def cut_after_the_failure(log: RealLog) -> RealLog | None:
    """Pasted only up to the failing frame's line (the stack left out): what that part says."""
    lines = log.text.splitlines()
    at = next((i for i, line in enumerate(lines) if FRAME_LINE.search(line)), None)
    if at is None or at == len(lines) - 1:
        return None
    kept = "\n".join(lines[: at + 1])
    truth = {k: v for k, v in log.truth.items() if k not in ("modulo", "linea")}
    if re.search(r"\bline\s*:\s*\d+", lines[at], re.I):
        truth["linea"] = log.truth.get("linea")
    return RealLog(log.id + "/cortado", log.origin, kept, truth, log.held_out)


def pasted_shapes(logs: list[RealLog]) -> list[RealLog]:
    """Each log in a sentence, on a phone, and (when it has a stack) cut after the failure."""
    found: list[RealLog] = []
    for log in logs:
        found += [in_a_sentence(log), on_a_phone(log)]
        cut = cut_after_the_failure(log)
        if cut is not None:
            found.append(cut)
    return found
