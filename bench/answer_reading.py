"""The answer reader against the reading before it (issue 21), on the training answers in 5-fold
cross-validation (where thresholds and features are chosen: the held-out split is never used to
tune) and, with the active model, on the held-out split (what `make eval` prints).

Each fold fits the reader on four fifths of data/respuestas, with the sentence vectors of the
served encoder and the intent model of the served NLU data, and reads the fifth; the NLU intents
of the messages come from the active model, as the bot would see them. Prints both tables and the
parse time the reader adds; writes docs/answer-reading.json.
Usage: python bench/answer_reading.py [--folds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time

import numpy as np
from sklearn.model_selection import StratifiedKFold

from protheus.common.answer_examples import read_answers
from protheus.common.paths import PROJECT
from protheus.common.vocabulary import Question
from protheus.db import prepare
from protheus.db.database import Database
from protheus.rasa_server.nlu.answer_model import DEFAULTS, IntentModel
from protheus.rasa_server.nlu.answer_reader import encode, fit, readings
from protheus.support.answer_reading import read
from protheus.trainer.answer_baseline import read_before
from protheus.trainer.answer_evaluation import evaluate_answers, parse_all, read_all, score, summary
from protheus.trainer.evaluation import quiet_logs
from protheus.trainer.lifecycle import ModelLifecycle

RESULTS = PROJECT.root / "docs" / "answer-reading.json"
MIN_PER_FOLD = 5


def reader_config() -> dict:
    """The AnswerReader's settings in config.yml."""
    import yaml

    pipeline = yaml.safe_load(PROJECT.config.read_text(encoding="utf-8"))["pipeline"]
    found = next(c for c in pipeline if c["name"].endswith("AnswerReader"))
    return {**DEFAULTS, **{k: v for k, v in found.items() if k in DEFAULTS}}


def nlu_intent_model() -> IntentModel:
    from rasa.shared.nlu.training_data.loading import load_data

    examples = [m for m in load_data(str(PROJECT.nlu)).intent_examples if m.get("text")]
    return IntentModel().fit(encode([m.get("text") for m in examples]), [m.get("intent") for m in examples])


def cross_validated(folds: int, model) -> tuple[dict, dict, list[float]]:
    answers = read_answers([PROJECT.answers])
    vectors = encode([a.text for a in answers])
    intents = nlu_intent_model()
    parses = asyncio.run(parse_all(model, [a.text for a in answers]))
    labels = [a.label for a in answers]
    strata = [label if labels.count(label) >= MIN_PER_FOLD else "otros" for label in labels]
    config, questions, times = reader_config(), Question.values(), []
    with_readings: list[dict] = [{} for _ in answers]
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(vectors, strata):
        reader = fit([answers[i] for i in train], vectors[train], intents, config)
        for i in test:
            started = time.perf_counter()
            found = readings(reader, intents, questions, answers[i].text, vectors[i])
            times.append((time.perf_counter() - started) * 1000)
            with_readings[i] = {**parses[i], "lecturas": found}
    return (
        score(answers, read_all(answers, with_readings, read)),
        score(answers, read_all(answers, with_readings, read_before)),
        times,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    quiet_logs()
    db = Database()
    prepare(db)
    model = ModelLifecycle(db).active_model()
    if model is None:
        raise SystemExit("No hay un modelo activo: ejecute `make train` primero.")
    new, old, times = cross_validated(args.folds, model)
    print(summary({"lector": new, "lectura_anterior": old}, f"data/respuestas, validación cruzada en {args.folds}"))
    median, p95 = statistics.median(times), np.percentile(times, 95)
    print(f"  el lector añade por mensaje: mediana {median:.1f} ms, p95 {p95:.1f} ms")
    held_out = evaluate_answers(model, [PROJECT.heldout_answers])
    print(summary(held_out, "evaluation/respuestas, reservado"))
    strip = lambda figures: {k: v for k, v in figures.items() if k != "errores"}  # noqa: E731
    RESULTS.write_text(
        json.dumps(
            {
                "validacion_cruzada": {"lector": strip(new), "lectura_anterior": strip(old)},
                "reservado": {name: strip(figures) for name, figures in held_out.items()},
                "lector_ms": {"mediana": round(statistics.median(times), 2), "p95": round(np.percentile(times, 95), 2)},
            },
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
