"""The reading of form answers before the trained reader (commit 4a3b294), kept to measure the
reader against it in the same run: the NLU intent plus phrase lists (lectura_anterior.yml), in
the order the old form validation, the domain's slot mappings and the rules applied them.

Only the evaluation uses it (protheus.trainer.answer_evaluation); the bot does not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from protheus.common.text import EMAIL, fold
from protheus.common.vocabulary import Kind, Question, Theme
from protheus.support.answer_reading import Reading
from protheus.support.modules import normalise_module
from protheus.support.routing import routing_table

PHRASES = Path(__file__).with_name("lectura_anterior.yml")
YES_WORDS = {"si", "claro", "correcto", "exacto", "afirmativo", "dale", "ok", "okay", "sip", "simon"}
YES_WORDS |= {"asi es", "acepto", "de acuerdo", "true", "verdadero", "yes"}
NO_WORDS = {"no", "nop", "nope", "negativo", "para nada", "nunca", "no acepto", "todavia no", "tampoco", "false"}
NO_WORDS |= {"falso"}
CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,31}$")
CODE_FILLERS = {"de", "del", "es", "mi", "el", "cliente", "nuestro", "su", "numero", "nro", ":"}
BOOLS = (Question.REPRODUCES, Question.SPECIFIC_RECORDS, Question.ACCEPTS_TERMS)
FREE_TEXT = (Question.MODULE, Question.DESCRIPTION)
SURE = 0.6
# The domain mapped these intents' text to a yes/no slot, for the form to parse.
TEXT_INTENTS = ("entrada_no_valida", "fuera_de_dominio", "nlu_fallback")


def _words(text: str) -> str:
    return " " + " ".join(re.sub(r"[^\w\s]", " ", fold(text or "")).split()) + " "


def _has(words: str, phrases: tuple[str, ...]) -> bool:
    return any(f" {p} " in words for p in phrases)


@dataclass(frozen=True)
class Phrases:
    raw: dict[str, Any]

    def list(self, *keys: str) -> tuple[str, ...]:
        node: Any = self.raw
        for key in keys:
            node = (node or {}).get(key)
        return tuple(_words(v).strip() for v in node or [])

    def says_dont_know(self, text: str) -> bool:
        return _words(text).strip() in self.list("no_sabe_solo") or _has(_words(text), self.list("no_sabe"))

    def understood(self, question: str, text: str) -> bool | None:
        if _has(_words(text), self.list("preguntas", question, "dicen_no")):
            return False
        if _has(_words(text), self.list("preguntas", question, "dicen_si")):
            return True
        return None

    def default(self, question: str) -> bool | None:
        return ((self.raw.get("preguntas") or {}).get(question) or {}).get("si_no_sabe")


@lru_cache(maxsize=1)
def phrases() -> Phrases:
    return Phrases(yaml.safe_load(PHRASES.read_text(encoding="utf-8")))


def _yes_or_no(intent: str | None, text: str) -> bool | None:
    if intent == "afirmar":
        return True
    if intent == "negar":
        return False
    words = _words(text).split()
    for size in (2, 1):
        start = " ".join(words[:size])
        if start in YES_WORDS:
            return True
        if start in NO_WORDS:
            return False
    return None


def _code_shaped(word: str) -> bool:
    digit, letter = any(c.isdigit() for c in word), any(c.isalpha() for c in word)
    return bool(CODE.match(word.upper())) and ((digit and letter) or (word.isupper() and len(word) >= 3))


def code_candidates(text: str) -> list[str]:
    words = [w for w in (re.sub(r"[^\w-]", "", w) for w in text.split()) if w]
    if len(words) == 1 and CODE.match(words[0].upper()):
        return [words[0].upper()]
    shaped = [w.upper() for w in words if _code_shaped(w)]
    if shaped:
        return shaped
    folded = [fold(w) for w in words]
    if "codigo" in folded:
        rest = [w for w in words[folded.index("codigo") + 1 :] if fold(w) not in CODE_FILLERS]
        if rest and CODE.match(rest[0].upper()):
            return [rest[0].upper()]
    return []


def _answers_pending(question: str, text: str, intent: str | None) -> bool:
    p = phrases()
    words = _words(text)
    if _has(words, p.list("por_que")) or _has(words, p.list("empezar_de_nuevo")):
        return False
    if _has(words, p.list("correcciones", "frases")):
        return False
    if question == Question.VERIFICATION:
        return bool(EMAIL.search(text))
    if question == Question.CUSTOMER_CODE:
        return bool(code_candidates(text)) and len(text.split()) <= 6
    if question in BOOLS:
        answers = p.says_dont_know(text) or p.understood(question, text) is not None
        return answers or _yes_or_no(intent, text) is not None
    return False


def _fill(
    question: str, text: str, intent: str | None, confidence: float, is_request: Callable[[str], bool]
) -> Reading:
    """The old path through the slot mappings and the validate_ methods; what is not taken is
    rejected, and the rules then act on the intent."""
    p = phrases()
    if question in BOOLS:
        mapped = intent in ("afirmar", "negar") or intent in TEXT_INTENTS or p.understood(question, text) is not None
        mapped = mapped or p.says_dont_know(text)
        if mapped:
            if p.says_dont_know(text):
                default = p.default(question)
                if default is None:
                    return Reading(Kind.DONT_KNOW, question)
                return Reading(Kind.ANSWER, question, default)
            said = p.understood(question, text)
            said = said if said is not None else _yes_or_no(intent, text)
            return Reading(Kind.ANSWER, question, said) if said is not None else Reading(Kind.OTHER, question)
    elif intent not in ("cancelar", "hablar_con_humano"):
        if question == Question.CUSTOMER_CODE:
            codes = code_candidates(text)
            return Reading(Kind.ANSWER, question, codes[0]) if codes else Reading(Kind.OTHER, question)
        if question == Question.VERIFICATION:
            return Reading(Kind.ANSWER, question, text) if "@" in text else Reading(Kind.DONT_KNOW, question)
        if question == Question.MODULE:
            module = normalise_module(text)
            return Reading(Kind.ANSWER, question, module) if module else Reading(Kind.OTHER, question)
        if question == Question.DESCRIPTION:
            ok = len(text.split()) >= 2
            return Reading(Kind.ANSWER, question, text.strip()) if ok else Reading(Kind.OTHER, question)
    # Rejected: the rules act on the intent.
    if intent == "cancelar":
        return Reading(Kind.CANCEL, question)
    if intent and is_request(intent):
        return Reading(Kind.NEW_REQUEST, question, intent=intent, confidence=confidence)
    return Reading(Kind.OTHER, question)


def _corrected(question: str, text: str, answered: Mapping[str, Any]) -> Reading:
    p = phrases()
    seen = list(reversed(list(answered)))
    words = _words(text)
    named = next(
        (
            s
            for s, names in ((p.raw.get("correcciones") or {}).get("campos") or {}).items()
            if s in seen and _has(words, tuple(_words(n).strip() for n in names))
        ),
        None,
    )
    slot = named or (seen[0] if seen else None)
    if slot is None:
        return Reading(Kind.OTHER, question)
    before = answered.get(slot)
    value: Any = None
    if slot in BOOLS:
        said = p.understood(slot, text)
        value = said if said is not None else (not before if isinstance(before, bool) else None)
    elif slot == Question.MODULE:
        value = normalise_module(text)
    elif slot == Question.CUSTOMER_CODE:
        codes = code_candidates(text)
        value = codes[0] if codes else None
    return Reading(Kind.CORRECTION, question, value, corrects=slot)


def read_before(
    parse: Mapping[str, Any], question: str, answered: Mapping[str, Any], is_request: Callable[[str], bool]
) -> Reading:
    """What the old reading made of the message, in the kinds of protheus.support.answer_reading."""
    text = str(parse.get("text") or "")
    intent_data = parse.get("intent") or {}
    intent, confidence = intent_data.get("name"), float(intent_data.get("confidence") or 0.0)
    if question == Question.YES_OR_NO:  # no form asked these: the rules answered the intent
        said = _yes_or_no(intent, text)
        if said is not None:
            return Reading(Kind.ANSWER, question, said)
        return _fill(Question.ACCEPTS_TERMS, text, intent, confidence, is_request)
    if _answers_pending(question, text, intent):
        return _fill(question, text, intent, confidence, is_request)
    p = phrases()
    words = _words(text)
    if _has(words, p.list("por_que")):
        return Reading(Kind.QUESTION, question, theme=Theme.ABOUT_QUESTION)
    if routing_table().is_question(intent):
        return Reading(Kind.QUESTION, question, theme=Theme.OTHER, intent=intent)
    if _has(words, p.list("correcciones", "frases")):
        return _corrected(question, text, answered)
    if _has(words, p.list("empezar_de_nuevo")):
        return Reading(Kind.CANCEL, question)
    route = routing_table().get(intent)
    leaves = route is not None and route.hands_off and not route.triage and confidence >= SURE
    if (
        leaves
        and intent != "hablar_con_humano"
        and (question not in FREE_TEXT or _has(words, p.list("cambio_de_tema")))
    ):
        return Reading(Kind.NEW_REQUEST, question, intent=intent, confidence=confidence)
    return _fill(question, text, intent, confidence, is_request)
