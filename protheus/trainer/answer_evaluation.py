"""How well form answers are read: the trained reader (protheus.support.answer_reading) against the
reading before it (answer_baseline), on labelled answers (make eval; the held-out split by
default).

For each labelled answer the pending question is set, the form's earlier questions hold
answers (a correction must change one of them), and the reading is judged:
- read right: the kind the label says, with its value (an answer's value, a correction's
  question and value); an unsure reading asked back («Entiendo que…, ¿es así?», «¿Quiere
  cancelar…?») is not counted right, and is reported apart when what it asks is right;
- invented value: a value recorded (an answer or a correction) that the message does not state;
- kept open: for a message that does not give the value («no sé», a question back, a request to
  repeat, anything else), the question stays pending: no value recorded, the form not left;
- unrequested leave: the form left (cancelled, or left for another request, which registers a
  hand-off) when the customer did not ask for it.
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from protheus.common.answer_examples import BOOL_QUESTIONS, LabelledAnswer, read_answers
from protheus.common.vocabulary import Kind, Question
from protheus.support.answer_reading import Reading, read
from protheus.support.routing import routing_table
from protheus.trainer.answer_baseline import read_before

Reader = Callable[[Mapping[str, Any], str, Mapping[str, Any], Callable[[str], bool]], Reading]
OPEN_KINDS = {Kind.DONT_KNOW, Kind.QUESTION, Kind.REPEAT, Kind.OTHER}
LEAVING = {Kind.CANCEL, Kind.NEW_REQUEST}
# What the form's earlier questions hold when a labelled answer is read.
EARLIER = {
    Question.MODULE: "SIGAFAT",
    Question.DESCRIPTION: "al grabar el pedido de venta sale un error",
    Question.REPRODUCES: True,
    Question.SPECIFIC_RECORDS: False,
    Question.CUSTOMER_CODE: "PRIME01",
    Question.VERIFICATION: "verificado",
}
OTHER_VALUE = {"SIGAFAT": "SIGACOM", "PRIME01": "STD01"}


def is_request(intent: str) -> bool:
    route = routing_table().get(intent)
    return route is not None and route.hands_off


def earlier_answers(example: LabelledAnswer) -> dict[str, Any]:
    """The answers the form holds before the labelled one: a correction changes a different value."""
    answered: dict[str, Any] = {}
    for question in example.earlier_questions():
        value = EARLIER.get(Question(question))
        if example.kind == Kind.CORRECTION and example.corrects == question:
            value = _gold(question, example.value)
            value = (not value) if isinstance(value, bool) else OTHER_VALUE.get(str(value), "SIGAFAT")
        if value is not None:
            answered[question] = value
    return answered


def _gold(question: str, value: str | None) -> Any:
    if question in BOOL_QUESTIONS:
        return value == "si"
    if question in (Question.CUSTOMER_CODE, Question.MODULE):
        return (value or "").upper()
    if question == Question.VERIFICATION:
        return (value or "").lower()
    return value


def _same_value(question: str, gold: str | None, found: Any) -> bool:
    if question == Question.DESCRIPTION:
        return bool(found)
    return found == _gold(question, gold)


@dataclass(frozen=True)
class Verdict:
    right: bool
    invented: bool
    kept_open: bool | None  # None: the message gives a value or leaves the form
    unrequested_leave: bool
    unsure_right: bool  # asked back with the right value


def judge(example: LabelledAnswer, reading: Reading) -> Verdict:
    kind = Kind(example.kind)
    q = example.question
    records = reading.kind is Kind.ANSWER or (reading.kind is Kind.CORRECTION and reading.value is not None)
    if kind is Kind.ANSWER:
        right = reading.kind is Kind.ANSWER and _same_value(q, example.value, reading.value)
        invented = records and not right
    elif kind is Kind.CORRECTION:
        target = example.corrects or ""
        right = (
            reading.kind is Kind.CORRECTION
            and reading.corrects == target
            and _same_value(target, example.value, reading.value)
        )
        invented = records and not right
    else:
        right = reading.kind is kind or (kind is Kind.OTHER and reading.kind is Kind.REPEAT)
        invented = records
    open_kind = kind in OPEN_KINDS
    kept_open = (not records and reading.kind not in LEAVING) if open_kind else None
    unrequested = reading.kind in LEAVING and reading.kind is not kind
    unsure_right = reading.kind is Kind.UNSURE and (
        (kind is Kind.ANSWER and not reading.leave_for and _same_value(q, example.value, reading.value))
        or (kind in LEAVING and bool(reading.leave_for))
    )
    return Verdict(right, invented, kept_open, unrequested, unsure_right)


def score(examples: list[LabelledAnswer], readings: list[Reading]) -> dict[str, Any]:
    verdicts = [judge(e, r) for e, r in zip(examples, readings, strict=True)]
    by_question: dict[str, list[bool]] = defaultdict(list)
    by_kind: dict[str, list[bool]] = defaultdict(list)
    for example, verdict in zip(examples, verdicts, strict=True):
        by_question[example.question].append(verdict.right)
        by_kind[example.kind].append(verdict.right)
    open_ones = [v.kept_open for v in verdicts if v.kept_open is not None]
    return {
        "n": len(examples),
        "exactitud": round(sum(v.right for v in verdicts) / max(1, len(verdicts)), 4),
        "correctas": sum(v.right for v in verdicts),
        "valores_inventados": sum(v.invented for v in verdicts),
        "salidas_no_pedidas": sum(v.unrequested_leave for v in verdicts),
        "pregunta_abierta": round(sum(open_ones) / max(1, len(open_ones)), 4),
        "no_respuestas": len(open_ones),
        "confirmadas_bien": sum(v.unsure_right for v in verdicts),
        "por_pregunta": {q: [sum(r), len(r)] for q, r in sorted(by_question.items())},
        "por_tipo": {k: [sum(r), len(r)] for k, r in sorted(by_kind.items())},
        "errores": [
            {"pregunta": e.question, "texto": e.text, "esperado": e.label, "leido": _shown(r)}
            for e, r, v in zip(examples, readings, verdicts, strict=True)
            if not v.right
        ],
    }


def _shown(reading: Reading) -> str:
    value = "" if reading.value is None else f"={reading.value}"
    extra = reading.corrects or (reading.theme.value if reading.theme else "") or reading.intent or ""
    return f"{reading.kind.value}{value}" + (f" ({extra})" if extra else "")


def read_all(examples: list[LabelledAnswer], parses: list[dict[str, Any]], reader: Reader) -> list[Reading]:
    return [reader(p, e.question, earlier_answers(e), is_request) for e, p in zip(examples, parses, strict=True)]


async def parse_all(model: Path, texts: list[str]) -> list[dict[str, Any]]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def evaluate_answers(model: Path, paths: list[Path]) -> dict[str, Any]:
    """The trained reader and the reading before it, on the labelled answers of `paths`."""
    examples = read_answers(paths)
    parses = asyncio.run(parse_all(model, [e.text for e in examples]))
    return {
        "lector": score(examples, read_all(examples, parses, read)),
        "lectura_anterior": score(examples, read_all(examples, parses, read_before)),
    }


def summary(result: dict[str, Any], data: str) -> str:
    new, old = result["lector"], result["lectura_anterior"]
    lines = [
        f"Lectura de respuestas a los formularios ({data}, {new['n']} respuestas): lector entrenado · lectura anterior",
        f"  leídas bien: {new['correctas']}/{new['n']} ({new['exactitud']:.1%}) · "
        f"{old['correctas']}/{old['n']} ({old['exactitud']:.1%})",
        f"  valores inventados: {new['valores_inventados']} · {old['valores_inventados']}",
        f"  salidas del formulario no pedidas: {new['salidas_no_pedidas']} · {old['salidas_no_pedidas']}",
        f"  no respuestas con la pregunta abierta: {new['pregunta_abierta']:.1%} · {old['pregunta_abierta']:.1%}"
        f" (de {new['no_respuestas']})",
        f"  dudas preguntadas al cliente, bien leídas: {new['confirmadas_bien']} · {old['confirmadas_bien']}",
    ]
    for section, name in (("por_pregunta", "pregunta"), ("por_tipo", "tipo")):
        lines.append(f"  por {name}:")
        for key, (right, total) in new[section].items():
            before, _ = old[section][key]
            lines.append(f"    {key:<28} {right:>3}/{total:<3} · {before:>3}/{total}")
    return "\n".join(lines)


def confusion(result: dict[str, Any]) -> Counter:
    return Counter((e["esperado"], e["leido"].split("=")[0].split(" ")[0]) for e in result["errores"])
