"""The reading of a message written while a form's question is pending: the answer (with the
value it states), «no sé», a question back, a correction, a cancellation, a new request, a
request to repeat, or something else.

The trained reader (protheus.rasa_server.nlu.answer_reader) says what kind of message it is under each
question; this module turns that into a decision, with two guarantees:
- a value is recorded only when the message states it: a code from a code-shaped token, an
  e-mail from an address, a module from its name (protheus.support.answer_values); a «sí»/«no» from the
  reader's yes or no. When the kind is an answer but no value has its shape, it is not an answer.
- a doubtful reading does not act: an unsure yes or no is asked back («Entiendo que sí…, ¿es
  así?»), an unsure cancellation or new request keeps the form.
Shared by the form validation (protheus/action_server/actions/) and the evaluation (protheus.trainer.answer_evaluation).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from protheus.common.answer_examples import ABOUT, BOOL_QUESTIONS, READINGS
from protheus.common.vocabulary import Kind, Question, Theme
from protheus.support import answer_values
from protheus.support.customer_words import OTHER_REQUEST

# Below this probability an answer's value is confirmed with the customer, not recorded (a
# description, free text, from a lower one). Chosen by cross-validation on the training answers
# (docs/lectura-de-respuestas.md): fewer values never said, at the cost of a few more questions.
SURE_ANSWER = 0.8
SURE_DESCRIPTION = 0.5
# A cancellation or a new request leaves the form from this probability; between ASK_TO_LEAVE and
# it, the bot asks first («¿Deja el reporte del error para…?»); below, it is no reason to leave.
SURE_TO_LEAVE = 0.8
ASK_TO_LEAVE = 0.5
# A yes or no under one triage question that the reader is this sure is about the other one («no, con
# todos los pedidos» under «¿se reproduce en un entorno estándar?») answers nothing here: recording it
# would be a value never given, and a «no» to the standard environment sends the report to a billed service.
SURE_OTHER_QUESTION = 0.8
SAYS_WHAT_WORDS = 3  # «no, con todos»: fewer words are a bare yes or no
TRIAGE_PAIR = {
    Question.REPRODUCES.value: Question.SPECIFIC_RECORDS.value,
    Question.SPECIFIC_RECORDS.value: Question.REPRODUCES.value,
}
# A correction's yes or no is read under the question it changes when at least this sure.
SURE_CORRECTION = 0.5
# The question a correction is about, when the reader is at least this sure of it.
SURE_ABOUT = 0.3
QUESTION_PREFIX = f"{Kind.QUESTION}_"
POLARITY = {"si": True, "no": False}
# A button's payload (no text to read) or a model without the reader: what the intent says.
CANCEL = "cancelar"
INTENT_KINDS = {"afirmar": "si", "negar": "no", CANCEL: Kind.CANCEL.value}


@dataclass(frozen=True)
class Reading:
    kind: Kind
    question: str
    value: Any = None  # True/False, a code, a module, an e-mail, a description
    confidence: float = 1.0
    theme: Theme | None = None  # of a question back
    intent: str | None = None  # of a new request, or of a question back answered by its intent
    corrects: str | None = None  # the earlier question a correction changes
    missing_value: bool = False  # the reader took it for an answer, but no value has its shape
    leave_for: str | None = None  # an unsure cancellation (CANCEL) or new request (its intent), asked first

    @property
    def gives_value(self) -> bool:
        return self.kind is Kind.ANSWER or (self.kind is Kind.CORRECTION and self.value is not None)


RequestCheck = Callable[[str], bool]  # is this intent a request the bot hands off?


def value_of(question: str, text: str) -> Any:
    """The value of an answer to a question that is not yes/no, when the text states it."""
    if question == Question.CUSTOMER_CODE:
        return answer_values.customer_code(text)
    if question == Question.VERIFICATION:
        return answer_values.email(text)
    if question == Question.MODULE:
        return answer_values.module(text)
    if question == Question.DESCRIPTION:
        return text.strip() if len(text.split()) >= 2 else None
    return None


def _intent(parse: Mapping[str, Any]) -> tuple[str | None, float]:
    intent = parse.get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


def _request_intent(parse: Mapping[str, Any], is_request: RequestCheck) -> str | None:
    """The request a message asks for: the NLU's intent, or the first request in its ranking,
    or the second request the classifier found in another part of the message."""
    name, _ = _intent(parse)
    if name and is_request(name):
        return name
    ranked = [r.get("name") for r in parse.get("intent_ranking") or [] if r.get("name")]
    found = next((n for n in ranked[:3] if is_request(n)), None)
    other = (parse.get(OTHER_REQUEST) or {}).get("name")
    return found or (other if other and is_request(other) else None)


def _without_reader(parse: Mapping[str, Any], question: str, is_request: RequestCheck) -> Reading:
    """A button's payload («/afirmar») or a model without the reader: the intent decides."""
    name, confidence = _intent(parse)
    text = str(parse.get("text") or "")
    said = INTENT_KINDS.get(name or "")
    if said in POLARITY and question in BOOL_QUESTIONS:
        return Reading(Kind.ANSWER, question, POLARITY[said], confidence)
    if said == Kind.CANCEL:
        return Reading(Kind.CANCEL, question, confidence=confidence)
    if name and is_request(name):
        return Reading(Kind.NEW_REQUEST, question, confidence=confidence, intent=name)
    value = value_of(question, text) if not text.startswith("/") else None
    if value is not None:
        return Reading(Kind.ANSWER, question, value, confidence)
    return Reading(Kind.OTHER, question, confidence=confidence)


def _new_value(question: str, readings: Mapping[str, Mapping[str, float]], text: str, before: Any) -> Any:
    """The value a correction gives an earlier question (None: it states none): a yes/no turns
    around unless the reading under that question surely says which."""
    if question in BOOL_QUESTIONS:
        scores = readings.get(question) or {}
        yes, no = scores.get("si", 0.0), scores.get("no", 0.0)
        said = yes >= no if max(yes, no) >= SURE_CORRECTION else None
        return said if said is not None and said != before else (not before if isinstance(before, bool) else None)
    if question == Question.DESCRIPTION:
        return None  # a description is written again, not pieced together from a correction
    value = answer_values.module(text, before) if question == Question.MODULE else value_of(question, text)
    return value if value is not None and value != before else None


def corrected(
    readings: Mapping[str, Mapping[str, float]], text: str, answered: Mapping[str, Any]
) -> tuple[str | None, Any]:
    """The earlier answer a correction changes, and its new value (None: ask it again). The
    reader says which question the text is about; without a sure one, a code or a module the
    text states, else the last yes/no answered, turned around."""
    about = readings.get(ABOUT) or {}
    likely = [q for q in sorted(answered, key=lambda q: -about.get(q, 0.0)) if about.get(q, 0.0) >= SURE_ABOUT]
    for question in likely:  # the likeliest one that the text gives a new value
        value = _new_value(question, readings, text, answered[question])
        if value is not None:
            return question, value
    for named in (Question.CUSTOMER_CODE.value, Question.MODULE.value, Question.VERIFICATION.value):
        if named in answered:
            value = _new_value(named, readings, text, answered[named])
            if value is not None:
                return named, value
    if likely:  # about a question, without a value for it: asked again
        return likely[0], None
    last_yes_no = [q for q in reversed(list(answered)) if q in BOOL_QUESTIONS and isinstance(answered[q], bool)]
    if last_yes_no:
        return last_yes_no[0], not answered[last_yes_no[0]]
    return (next(reversed(list(answered)), None), None) if answered else (None, None)


def _leaving(
    kind: Kind, question: str, confidence: float, parse: Mapping[str, Any], is_request: RequestCheck
) -> Reading:
    """A cancellation or a new request: acted on when sure, asked first when doubtful, else no
    reason to leave. A new request needs a request the bot hands off."""
    target = CANCEL if kind is Kind.CANCEL else _request_intent(parse, is_request)
    if target is None or confidence < ASK_TO_LEAVE:
        return Reading(Kind.OTHER, question, confidence=confidence)
    if confidence < SURE_TO_LEAVE:
        return Reading(Kind.UNSURE, question, confidence=confidence, leave_for=target)
    return Reading(kind, question, confidence=confidence, intent=None if kind is Kind.CANCEL else target)


def _about_the_other_triage_question(readings: Mapping[str, Mapping[str, float]], question: str, text: str) -> bool:
    """A yes or no with words about the other triage question. A bare «no» says nothing of either: the
    reader's `sobre` for it only echoes which question most bare answers came under."""
    other = TRIAGE_PAIR.get(question)
    if other is None or len(re.findall(r"\w+", text)) < SAYS_WHAT_WORDS:
        return False
    return (readings.get(ABOUT) or {}).get(other, 0.0) >= SURE_OTHER_QUESTION


def read(parse: Mapping[str, Any], question: str, answered: Mapping[str, Any], is_request: RequestCheck) -> Reading:
    """What the message in `parse` (Rasa's parse data) is with respect to the pending `question`;
    `answered`: the form's earlier questions and their values, in the order they were asked."""
    text = str(parse.get("text") or "")
    readings = parse.get(READINGS) or {}
    scores: Mapping[str, float] = readings.get(question) or {}
    if not scores or text.startswith("/"):
        return _without_reader(parse, question, is_request)
    label, confidence = max(scores.items(), key=lambda item: item[1])
    if label in POLARITY:
        if question not in BOOL_QUESTIONS or _about_the_other_triage_question(readings, question, text):
            return Reading(Kind.OTHER, question, confidence=confidence)
        kind = Kind.ANSWER if confidence >= SURE_ANSWER else Kind.UNSURE
        return Reading(kind, question, POLARITY[label], confidence)
    if label == Kind.VALUE:
        value = value_of(question, text)
        if value is None:
            return Reading(Kind.OTHER, question, confidence=confidence, missing_value=True)
        sure = confidence >= (SURE_DESCRIPTION if question == Question.DESCRIPTION else SURE_ANSWER)
        return Reading(Kind.ANSWER if sure else Kind.UNSURE, question, value, confidence)
    if label.startswith(QUESTION_PREFIX):
        theme = Theme.parse(label.removeprefix(QUESTION_PREFIX)) or Theme.OTHER
        name, _ = _intent(parse)
        return Reading(Kind.QUESTION, question, confidence=confidence, theme=theme, intent=name)
    kind = Kind.parse(label) or Kind.OTHER
    if kind in (Kind.CANCEL, Kind.NEW_REQUEST):
        return _leaving(kind, question, confidence, parse, is_request)
    if kind is Kind.CORRECTION:
        target, value = corrected(readings, text, answered)
        if target is None:
            return Reading(Kind.OTHER, question, confidence=confidence)
        return Reading(kind, question, value, confidence, corrects=target)
    return Reading(kind, question, confidence=confidence)
