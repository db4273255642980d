"""A conversation's stored events as the lines of a transcript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from protheus.db.conversations import HIDDEN_ACTIONS, classifier_confidence
from protheus.support.error_log import parse as parse_log

Masker = Callable[[str], str]
RUNNERS_UP = 3


def _user(event: dict, mask: Masker) -> dict:
    parse = event.get("parse_data") or {}
    intent = (parse.get("intent") or {}).get("name")
    ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") not in (intent, "nlu_fallback")]
    return {
        "tipo": "cliente",
        "texto": mask(event.get("text") or ""),
        "intencion": intent,
        "confianza": classifier_confidence(parse),
        "alternativas": [(r.get("name"), r.get("confidence")) for r in ranking[:RUNNERS_UP]],
        "entidades": [(e.get("entity"), mask(str(e.get("value")))) for e in parse.get("entities") or []],
        "canal": event.get("input_channel"),
        "log": _log_summary(event.get("text") or "", mask),
    }


def _log_summary(text: str, mask: Masker) -> str | None:
    """A pasted error log, read into its fields and kind for the agent (protheus.support.error_log)."""
    log = parse_log(text) if text and not text.startswith("/") else None
    return mask(log.summary()) if log is not None else None


def _bot(event: dict, mask: Masker) -> dict:
    data = event.get("data") or {}
    metadata = event.get("metadata") or {}
    buttons = [b.get("title") for b in data.get("buttons") or [] if b.get("title")]
    custom = data.get("custom") or {}
    return {
        "tipo": "agente" if metadata.get("agente") else "bot",
        "texto": mask(event.get("text") or ""),
        "botones": buttons,
        "agente": metadata.get("agente"),
        "derivacion": custom.get("handoff"),
    }


def lines(events: list[dict], mask: Masker) -> tuple[list[dict], dict[str, Any]]:
    """(transcript lines, final slot values). Each line keeps its event id and time."""
    found: list[dict] = []
    slots: dict[str, Any] = {}
    for event in events:
        kind = event.get("event")
        line: dict | None = None
        if kind == "user":
            line = _user(event, mask)
        elif kind == "bot":
            line = _bot(event, mask)
        elif kind == "action" and event.get("name") not in HIDDEN_ACTIONS:
            line = {
                "tipo": "accion",
                "nombre": event.get("name"),
                "politica": event.get("policy"),
                "confianza": event.get("confidence"),
            }
        elif kind == "slot":
            name, value = str(event.get("name")), event.get("value")
            slots[name] = mask(value) if isinstance(value, str) else value
            line = {"tipo": "slot", "nombre": name, "valor": slots[name]}
        elif kind in ("pause", "resume", "session_started", "restart"):
            line = {"tipo": kind}
        elif kind == "active_loop":
            line = {"tipo": "formulario", "nombre": event.get("name")}
        if line is not None:
            line.update(id=event.get("_id"), hora=event.get("timestamp"))
            found.append(line)
    return found, slots
