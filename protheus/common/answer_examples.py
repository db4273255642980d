"""Labelled answers to the forms' questions (data/respuestas/, evaluation/respuestas/): what each
customer message is with respect to the question it was written under.

One reader of the files for the trained reader (protheus.rasa_server.nlu.answer_reader), its evaluation and
the tests. The schema is written down in docs/lectura-de-respuestas.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from protheus.common.vocabulary import Kind, Question, Theme

READINGS = "lecturas"  # the parse data's key of the reader's output: {question: {label: probability}}
# Form slots the reader knows under another question: the offer to go back to a request is a yes/no.
READER_QUESTIONS = {"retomar_solicitud": "si_o_no"}
ABOUT = "sobre"  # and of which question the message answers, whatever question is pending: {question: p}
BOOL_QUESTIONS = frozenset(
    {
        Question.REPRODUCES,
        Question.SPECIFIC_RECORDS,
        Question.ACCEPTS_TERMS,
        Question.YES_OR_NO,
    }
)
# The order a form asks its questions: a correction names an earlier one.
ERROR_ORDER = (
    Question.MODULE,
    Question.DESCRIPTION,
    Question.REPRODUCES,
    Question.SPECIFIC_RECORDS,
    Question.CUSTOMER_CODE,
    Question.VERIFICATION,
    Question.ACCEPTS_TERMS,
)
URGENT_ORDER = (Question.CUSTOMER_CODE, Question.VERIFICATION)
CONTEXT_ORDER = {"error": ERROR_ORDER, "urgente": URGENT_ORDER, "consultoria": (Question.ACCEPTS_TERMS,)}


def reader_question(slot: str) -> str:
    """The reader's question for a form's pending slot."""
    return READER_QUESTIONS.get(slot, slot)


def answer_confidence(parse: dict, slot: str) -> float | None:
    """How sure the reader was of its reading of a message written while `slot` was asked."""
    scores = (parse.get(READINGS) or {}).get(reader_question(slot)) or {}
    return max(scores.values()) if scores else None


class AnswerDataError(ValueError):
    """A labelled answer that breaks the schema (Spanish message naming the file and example)."""


@dataclass(frozen=True)
class LabelledAnswer:
    question: str
    text: str
    kind: str
    value: str | None = None  # "si"/"no", a code, a module, an e-mail
    theme: str | None = None  # of a question back
    corrects: str | None = None  # the earlier question a correction changes
    intent: str | None = None  # of a new request or a question back
    context: str = "error"
    country: str = ""

    @property
    def label(self) -> str:
        """What the classifier predicts: the kind, with the yes/no of a yes/no answer and the
        theme of a question back."""
        if self.kind == Kind.ANSWER:
            return str(self.value) if self.question in BOOL_QUESTIONS else Kind.VALUE.value
        if self.kind == Kind.QUESTION:
            return f"{Kind.QUESTION.value}_{self.theme}"
        return self.kind

    @property
    def answered_question(self) -> str | None:
        """The form question whose value the message gives: the pending one for an answer, the
        corrected one for a correction (None: none, or a yes/no that is not a form question)."""
        found = self.question if self.kind == Kind.ANSWER else self.corrects if self.kind == Kind.CORRECTION else None
        return None if found == Question.YES_OR_NO else found

    def earlier_questions(self) -> tuple[str, ...]:
        """The questions the form asked before this one, in its context."""
        order = CONTEXT_ORDER.get(self.context, ERROR_ORDER)
        if self.question == Question.YES_OR_NO:  # asked back at any point: after all of them
            return ERROR_ORDER
        return order[: order.index(self.question)] if self.question in order else ()


def _checked(raw: dict[str, Any], where: str) -> LabelledAnswer:
    def fail(why: str) -> AnswerDataError:
        return AnswerDataError(f"{where}: {why} ({raw.get('texto')!r})")

    question, kind = raw.get("pregunta"), raw.get("tipo")
    if question not in Question.values():
        raise fail(f"la pregunta «{question}» no existe")
    if kind not in Kind.labelled():
        raise fail(f"el tipo «{kind}» no existe")
    if not isinstance(raw.get("texto"), str) or not raw["texto"].strip():
        raise fail("falta el texto")
    value = raw.get("valor")
    value = {True: "si", False: "no"}.get(value, value) if isinstance(value, bool) else value
    if kind == Kind.ANSWER and question in BOOL_QUESTIONS and value not in ("si", "no"):
        raise fail("una respuesta a una pregunta de sí o no lleva valor «si» o «no»")
    if kind == Kind.QUESTION and raw.get("tema") not in Theme.values():
        raise fail(f"una pregunta lleva tema: {', '.join(Theme.values())}")
    if kind == Kind.CORRECTION and (raw.get("corrige") not in Question.values() or value is None):
        raise fail("una corrección lleva «corrige» (la pregunta anterior) y «valor»")
    if kind == Kind.NEW_REQUEST and not raw.get("intencion"):
        raise fail("una nueva solicitud lleva «intencion»")
    return LabelledAnswer(
        question=question,
        text=raw["texto"],
        kind=kind,
        value=None if value is None else str(value),
        theme=raw.get("tema"),
        corrects=raw.get("corrige"),
        intent=raw.get("intencion"),
        context=raw.get("contexto") or "error",
        country=str(raw.get("pais") or ""),
    )


def read_answers(paths: Iterable[Path]) -> list[LabelledAnswer]:
    """Every labelled answer in the YAML files (or folders of them) given."""
    found: list[LabelledAnswer] = []
    for path in paths:
        files = sorted(path.rglob("*.yml")) if path.is_dir() else [path]
        for file in files:
            raw = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
            for number, item in enumerate(raw.get("respuestas") or [], start=1):
                found.append(_checked(item, f"{file.name}, ejemplo {number}"))
    return found
