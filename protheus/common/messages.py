"""Texts the actions send, read from mensajes.yml (data, not code)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from string import Formatter
from typing import Any

import yaml

from protheus.common.paths import PROJECT
from protheus.common.settings import support_contact
from protheus.common.text import markdown_plain

MESSAGES_FILE = PROJECT.messages


@lru_cache(maxsize=1)
def _load(path: Path = MESSAGES_FILE) -> dict[str, dict[str, dict]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _fill(text: str, values: dict[str, Any]) -> str:
    """Fill {placeholders}; one without a value stays visible rather than failing."""
    names = {field for _, field, _, _ in Formatter().parse(text) if field}
    return text.format_map({name: values.get(name, "{" + name + "}") for name in names})


def render(section: str, key: str, **values: Any) -> dict[str, Any]:
    """Keyword arguments for dispatcher.utter_message: text and, if any, buttons. The values
    (often what the customer wrote) are shown as plain text, never as markdown."""
    entry = _load()[section][key]
    quoted = {name: markdown_plain(str(value)) for name, value in values.items()}
    message: dict[str, Any] = {"text": _fill(entry["text"], {"correo_soporte": support_contact(), **quoted})}
    values = {"correo_soporte": support_contact(), **values}
    if entry.get("buttons"):
        message["buttons"] = [{k: _fill(str(v), values) for k, v in b.items()} for b in entry["buttons"]]
    return message


def question(slot: str) -> dict[str, Any]:
    return render("preguntas", slot)


def resumed_question(slot: str) -> dict[str, Any]:
    """The pending question said another way, after a question in the middle of a form."""
    return render("preguntas_retomadas", slot)


def message(key: str, **values: Any) -> dict[str, Any]:
    return render("mensajes", key, **values)


ANSWER_TEXTS = "respuestas_a_preguntas"
GENERAL = "general"


def answer_text(question: str, key: str, trusted: dict[str, str] | None = None, **values: Any) -> dict[str, Any]:
    """A reply to what the customer wrote under a pending question: the question's own text
    (`respuestas_a_preguntas`), else the one every question shares. `trusted` values are
    markdown already made safe (understood()); the others are shown as plain text."""
    texts = _load()[ANSWER_TEXTS]
    entry = (texts.get(question) or {}).get(key) or texts[GENERAL][key]
    quoted = {**{name: markdown_plain(str(value)) for name, value in values.items()}, **(trusted or {})}
    reply: dict[str, Any] = {"text": _fill(entry["text"], {"correo_soporte": support_contact(), **quoted})}
    if entry.get("buttons"):
        reply["buttons"] = [dict(b) for b in entry["buttons"]]
    return reply


def understood(question: str, value: Any) -> str:
    """What an unsure answer is understood to say, in the words of `entendido` («**sí** ocurre
    en un entorno estándar actualizado»)."""
    said = (_load()[ANSWER_TEXTS].get(question) or {}).get("entendido") or "«{valor}»"
    if isinstance(said, dict):
        return str(said["si" if value else "no"])
    return _fill(str(said), {"valor": markdown_plain(str(value))})


def handoff_card() -> dict[str, Any]:
    """Labels and per-channel texts of the web chat's hand-off card."""
    return _load()["tarjeta_derivacion"]


def survey_texts() -> dict[str, Any]:
    """The satisfaction survey's texts (question, the five scores, the card's labels)."""
    texts = dict(_load()["encuesta"])
    texts["puntos"] = {int(score): label for score, label in texts["puntos"].items()}
    return texts


def labels(section: str) -> dict[str, str]:
    """Spanish names of one part of the support vocabulary (protheus.common.vocabulary)."""
    return dict(_load()["etiquetas"][section])


def questions() -> list[str]:
    return list(_load()["preguntas"])


def suggested_tags() -> list[str]:
    """The tags the console offers for a conversation (`etiquetas_de_conversacion`)."""
    return [str(tag) for tag in _load().get("etiquetas_de_conversacion") or []]
