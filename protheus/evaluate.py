"""`make eval DATA=<file>`: evaluate the active model on a labelled Rasa NLU file.

The last line printed is one JSON object (macro_f1, accuracy, n, per_intent,
top_confusions, ...); everything before it is a summary for people.
Exit code 2 when the file is missing or malformed, or there is no model.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

USAGE_ERROR = 2
FALLBACK_INTENT = "nlu_fallback"


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
            Example(m.get("text"), m.get("intent"))
            for m in data.intent_examples
            if m.get("text") and m.get("intent")
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
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, guess, labels=labels, zero_division=0
    )
    answered = [(t, g) for t, g, p in zip(truth, guess, predictions) if not p.fell_back]
    guess_with_fallback = [FALLBACK_INTENT if p.fell_back else p.intent for p in predictions]
    confusions = Counter((t, g) for t, g in zip(truth, guess) if t != g)
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
            for label, p, r, f, s in zip(labels, precision, recall, f1, support)
        },
        "top_confusions": [
            {"expected": t, "predicted": g, "count": c} for (t, g), c in confusions.most_common(10)
        ],
        "fallback_rate": round(sum(p.fell_back for p in predictions) / len(predictions), 4),
        "macro_f1_counting_fallback_as_error": round(
            float(f1_score(truth, guess_with_fallback, labels=labels, average="macro", zero_division=0)), 4
        ),
        "accuracy_when_answered": round(sum(t == g for t, g in answered) / len(answered), 4) if answered else None,
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


def evaluate(data: Path, model: Optional[Path]) -> dict:
    from protheus.training import active_model

    examples = load_examples(data)
    model = model or active_model()
    if model is None or not model.exists():
        raise EvaluationError("No hay un modelo entrenado: ejecute `make train` primero.")
    predictions, known, times = asyncio.run(predict(model, [e.text for e in examples]))
    result = metrics(examples, predictions, known)
    result["median_parse_ms"] = round(statistics.median(times), 2)
    print(summary(result, model, data), flush=True)
    return result


def _quiet_logs() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logging.disable(logging.WARNING)
    import structlog  # Rasa's structured logs print parse results at debug level
    import warnings

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))

    warnings.filterwarnings("ignore")


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Evalúa el modelo activo con un archivo NLU de Rasa.")
    parser.add_argument("data", type=Path, help="archivo YAML de NLU (o carpeta) con ejemplos etiquetados")
    parser.add_argument("--model", type=Path, default=None, help="modelo .tar.gz (por defecto el activo)")
    args = parser.parse_args(argv)
    _quiet_logs()
    try:
        result = evaluate(args.data, args.model)
    except EvaluationError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return USAGE_ERROR
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
