"""Evaluating a model on labelled messages: predictions, metrics, and the comparison of a new
model with the active one on the fixed test split (evaluation/nlu) that a registered model carries.

`make eval DATA=<file>` (python -m protheus.trainer evaluar) prints `summary` and then the
metrics as one JSON line. What they mean:

- `macro_f1`, `accuracy`: of the classifier's best intent, whether or not the bot then asks
  for clarification (the fallback is ignored).
- `fallback_rate`: share of messages that get the clarification question instead of an answer.
- `accuracy_when_answered`: among the messages the bot answers, the share it answers right.
- `accuracy_counting_fallback_as_error`: right answers over all messages (a clarification is
  not a right answer); never above `accuracy`.
- `macro_f1_counting_fallback_as_error`: macro-F1 with a clarification as its own label. It
  may come out *above* `macro_f1`: a clarification on a wrong guess removes a false positive
  from the intent that was guessed, so that intent's precision rises.
"""

from __future__ import annotations

import asyncio
import logging
import os
import statistics
import time
import warnings
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from protheus.common.paths import Project

FALLBACK_INTENT = "nlu_fallback"
CHANGED_EXAMPLES = 40  # messages whose prediction changed, kept with a registered model


@dataclass
class Example:
    text: str
    intent: str


@dataclass
class Prediction:
    intent: str  # classifier's best intent, the fallback ignored
    confidence: float
    fell_back: bool


class EvaluationError(Exception):
    """A problem with the input that the user must fix (exit code 2)."""


def load_examples(path: Path) -> list[Example]:
    """Labelled examples of a Rasa NLU YAML file, or of every such file in a folder."""
    if not path.exists():
        raise EvaluationError(f"No existe el archivo: {path}")
    files = sorted(path.rglob("*.yml")) + sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
    if not files:
        raise EvaluationError(f"La carpeta {path} no contiene archivos .yml")
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    examples: list[Example] = []
    for file in files:
        try:
            data = RasaYAMLReader().reads(file.read_text(encoding="utf-8"))
        except Exception as error:  # Rasa raises several types for malformed YAML
            raise EvaluationError(f"El archivo {file} no es un YAML de NLU de Rasa válido: {error}") from error
        examples += [
            Example(m.get("text"), m.get("intent")) for m in data.intent_examples if m.get("text") and m.get("intent")
        ]
    if not examples:
        raise EvaluationError(f"{path} no contiene ejemplos con intención (clave 'nlu:' con '- intent:').")
    return examples


def prediction_from_parse(parse: dict) -> Prediction:
    ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") != FALLBACK_INTENT]
    top = ranking[0] if ranking else (parse.get("intent") or {})
    return Prediction(
        intent=top.get("name") or FALLBACK_INTENT,
        confidence=float(top.get("confidence") or 0.0),
        fell_back=(parse.get("intent") or {}).get("name") == FALLBACK_INTENT,
    )


async def predict(model: Path, texts: Iterable[str]) -> tuple[list[Prediction], set[str], list[float]]:
    """Predictions, the intents the model knows, and each parse's time in ms."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    known = set(agent.domain.intents) if agent.domain else set()
    predictions, times = [], []
    for text in texts:
        started = time.perf_counter()
        parse = await agent.parse_message(text)
        times.append((time.perf_counter() - started) * 1000)
        predictions.append(prediction_from_parse(parse))
    return predictions, known, times


def metrics(examples: list[Example], predictions: list[Prediction], known: set[str]) -> dict:
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

    truth = [e.intent for e in examples]
    guess = [p.intent for p in predictions]
    labels = sorted(set(truth))
    precision, recall, f1, support = precision_recall_fscore_support(truth, guess, labels=labels, zero_division=0)
    answered = [(t, g) for t, g, p in zip(truth, guess, predictions, strict=True) if not p.fell_back]
    guess_with_fallback = [FALLBACK_INTENT if p.fell_back else p.intent for p in predictions]
    confusions = Counter((t, g) for t, g in zip(truth, guess, strict=True) if t != g)
    unknown = Counter(t for t in truth if known and t not in known)
    return {
        "macro_f1": round(float(f1_score(truth, guess, labels=labels, average="macro", zero_division=0)), 4),
        "accuracy": round(float(accuracy_score(truth, guess)), 4),
        "n": len(examples),
        "per_intent": {
            label: {
                "precision": round(float(p), 4),
                "recall": round(float(r), 4),
                "f1": round(float(f), 4),
                "support": int(s),
            }
            for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
        },
        "top_confusions": [{"expected": t, "predicted": g, "count": c} for (t, g), c in confusions.most_common(10)],
        "fallback_rate": round(sum(p.fell_back for p in predictions) / len(predictions), 4),
        "macro_f1_counting_fallback_as_error": round(
            float(f1_score(truth, guess_with_fallback, labels=labels, average="macro", zero_division=0)), 4
        ),
        "accuracy_when_answered": round(sum(t == g for t, g in answered) / len(answered), 4) if answered else None,
        "accuracy_counting_fallback_as_error": round(sum(t == g for t, g in answered) / len(truth), 4),
        "unknown_intents": dict(unknown),
    }


def summary(result: dict, model: Path, data: Path) -> str:
    lines = [
        f"Modelo: {model.name}   Datos: {data}",
        f"Ejemplos: {result['n']}   macro-F1: {result['macro_f1']:.3f}   exactitud: {result['accuracy']:.3f}"
        f"   consultas con pregunta de aclaración: {result['fallback_rate']:.1%}",
    ]
    weakest = sorted(result["per_intent"].items(), key=lambda kv: kv[1]["f1"])[:5]
    lines.append("Intenciones más débiles: " + ", ".join(f"{k} ({v['f1']:.2f})" for k, v in weakest))
    for c in result["top_confusions"][:5]:
        lines.append(f"  confunde {c['expected']} → {c['predicted']}: {c['count']}")
    if result["unknown_intents"]:
        lines.append(
            "AVISO: intenciones que el modelo no conoce (cuentan como error): "
            + ", ".join(f"{k} ({v})" for k, v in result["unknown_intents"].items())
        )
    return "\n".join(lines)


def evaluate_examples(examples: list[Example], model: Path) -> dict:
    """Metrics of `model` on labelled examples (make eval), with the median parse time."""
    if not model.is_file():
        raise EvaluationError(f"No existe el modelo {model}.")
    predictions, known, times = asyncio.run(predict(model, [e.text for e in examples]))
    result = metrics(examples, predictions, known)
    result["median_parse_ms"] = round(statistics.median(times), 2)
    result["p95_parse_ms"] = (
        round(statistics.quantiles(times, n=20)[-1], 2) if len(times) > 1 else result["median_parse_ms"]
    )
    return result


def quiet_logs() -> None:
    """Rasa would print every parse of an evaluation."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logging.disable(logging.WARNING)
    import structlog  # Rasa's structured logs print parse results at debug level

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    warnings.filterwarnings("ignore")


# --- a new model next to the active one ------------------------------------------------
def evaluate_against_active(project: Project, name: str, active: Path | None) -> tuple[dict, dict]:
    """The new model's metrics on the test split, and how it compares with the active one."""
    examples = load_examples(project.test_split)
    texts = [e.text for e in examples]
    new_predictions, known, _ = asyncio.run(predict(project.models / name, texts))
    new_metrics = metrics(examples, new_predictions, known)
    comparison: dict[str, Any] = {"activo": None}
    if active is not None and active.is_file() and active.name != name:
        old_predictions, old_known, _ = asyncio.run(predict(active, texts))
        old_metrics = metrics(examples, old_predictions, old_known)
        comparison = {
            "activo": active.name,
            "macro_f1_activo": old_metrics["macro_f1"],
            "por_intencion": {
                intent: {"antes": old_metrics["per_intent"].get(intent, {}).get("f1"), "despues": values["f1"]}
                for intent, values in new_metrics["per_intent"].items()
                if old_metrics["per_intent"].get(intent, {}).get("f1") != values["f1"]
            },
            "cambios": [
                {"texto": e.text, "esperada": e.intent, "antes": o.intent, "despues": n.intent}
                for e, o, n in zip(examples, old_predictions, new_predictions, strict=True)
                if o.intent != n.intent
            ][:CHANGED_EXAMPLES],
        }
    truth, guess = [e.intent for e in examples], [p.intent for p in new_predictions]
    comparison["matriz"] = confusion_image(project, name, truth, guess)
    return new_metrics, comparison


def confusion_image(project: Project, name: str, truth: list[str], guess: list[str]) -> str:
    """A PNG of the confusion matrix; returns its file name under project.evaluations."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from sklearn.metrics import confusion_matrix

    labels = sorted(set(truth) | set(guess))
    matrix = confusion_matrix(truth, guess, labels=labels)
    figure, axes = plt.subplots(figsize=(12, 11), dpi=80)
    axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    axes.set_yticks(range(len(labels)), labels, fontsize=7)
    axes.set_xlabel("predicha")
    axes.set_ylabel("esperada")
    axes.set_title(f"Matriz de confusión · {name}")
    for (row, column), value in np.ndenumerate(matrix):
        if value:
            axes.text(
                column,
                row,
                str(value),
                ha="center",
                va="center",
                fontsize=6,
                color="white" if value > matrix.max() / 2 else "black",
            )
    figure.tight_layout()
    project.evaluations.mkdir(parents=True, exist_ok=True)
    file_name = name.removesuffix(".tar.gz") + "-confusion.png"
    figure.savefig(project.evaluations / file_name)
    plt.close(figure)
    return file_name
