"""Yes/no answers in the customer's own words («pasa con todos», «solo con ese cliente», «ni
idea»), read with the phrases of respuestas_libres.yml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from protheus.paths import PROJECT
from protheus.text import fold

DONT_KNOW, DONT_KNOW_ALONE = "no_sabe", "no_sabe_solo"


@dataclass(frozen=True)
class QuestionWords:
    yes: tuple[str, ...]
    no: tuple[str, ...]
    if_unknown: bool | None  # the value an «I don't know» takes; None: ask again


@dataclass(frozen=True)
class FreeAnswers:
    dont_know: tuple[str, ...]
    dont_know_alone: tuple[str, ...]  # only as the whole answer
    questions: dict[str, QuestionWords]
    corrections: tuple[str, ...] = ()
    slot_names: tuple[tuple[str, tuple[str, ...]], ...] = ()  # how a correction names each slot
    topic_changes: tuple[str, ...] = ()
    why_asked: tuple[str, ...] = ()
    restarts: tuple[str, ...] = ()

    def restarts_over(self, text: str) -> bool:
        return _contains_any(_words(text), self.restarts)

    def asks_why(self, text: str) -> bool:
        return _contains_any(_words(text), self.why_asked)

    def changes_topic(self, text: str) -> bool:
        return _contains_any(_words(text), self.topic_changes)

    def is_correction(self, text: str) -> bool:
        return _contains_any(_words(text), self.corrections)

    def named_slot(self, text: str, slots: list[str]) -> str | None:
        """The slot of `slots` the text names («cambie el módulo a SIGAFIN» → modulo)."""
        words = _words(text)
        return next((slot for slot, names in self.slot_names if slot in slots and _contains_any(words, names)), None)

    def says_dont_know(self, text: str) -> bool:
        words = _words(text)
        return words.strip() in self.dont_know_alone or _contains_any(words, self.dont_know)

    def answers(self, slot: str, text: str) -> bool:
        """The text answers this yes/no question: a phrase of its own, or an «I don't know»."""
        return self.says_dont_know(text) or self.understood(slot, text) is not None

    def understood(self, slot: str, text: str) -> bool | None:
        """True or False when the answer says so in this question's phrases; None otherwise. The
        «no» phrases go first: «no, solo en producción» is a no."""
        words = self.questions.get(slot)
        if words is None:
            return None
        folded = _words(text)
        if _contains_any(folded, words.no):
            return False
        if _contains_any(folded, words.yes):
            return True
        return None


def _words(text: str) -> str:
    return " " + " ".join(re.sub(r"[^\w\s]", " ", fold(text or "")).split()) + " "


def _contains_any(words: str, phrases: tuple[str, ...]) -> bool:
    return any(f" {phrase} " in words for phrase in phrases)


@lru_cache(maxsize=1)
def free_answers(path: Path = PROJECT.free_answers) -> FreeAnswers:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))

    def phrases(values: list[str] | None) -> tuple[str, ...]:
        return tuple(_words(v).strip() for v in values or [])

    questions = {
        slot: QuestionWords(phrases(spec.get("dicen_si")), phrases(spec.get("dicen_no")), spec.get("si_no_sabe"))
        for slot, spec in raw["preguntas"].items()
    }
    corrections = raw.get("correcciones") or {}
    names = tuple((slot, phrases(values)) for slot, values in (corrections.get("campos") or {}).items())
    return FreeAnswers(
        phrases(raw[DONT_KNOW]),
        phrases(raw.get(DONT_KNOW_ALONE)),
        questions,
        phrases(corrections.get("frases")),
        names,
        phrases(raw.get("cambio_de_tema")),
        phrases(raw.get("por_que")),
        phrases(raw.get("empezar_de_nuevo")),
    )
