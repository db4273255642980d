"""This NLU pipeline against two baselines, on our three test splits and in 5-fold
cross-validation of data/nlu (issue 11).

Candidates, each trained NLU-only from the same data in the same run:
  - this pipeline (config.yml);
  - Rasa's default `rasa init` pipeline (DIET), bench/baselines/rasa_init_diet.yml;
  - plain TF-IDF + logistic regression, bench/baselines/tfidf_logreg.yml.
Prints macro-F1, the clarification rate, accuracy when the bot answers and parse latency
(median, p95) per split, and the cross-validated macro-F1; writes docs/nlu-baselines.json.
Usage: python bench/nlu_baselines.py [--folds 5] [--sin-validacion-cruzada]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import subprocess
import tempfile
from collections import defaultdict
from pathlib import Path

import yaml

from protheus.common.paths import PROJECT, rasa_executable
from protheus.trainer.evaluation import Example, evaluate_examples, load_examples, quiet_logs

CANDIDATES = {
    "este pipeline": PROJECT.config,
    "rasa init (DIET)": PROJECT.root / "bench" / "baselines" / "rasa_init_diet.yml",
    "TF-IDF + regresión logística": PROJECT.root / "bench" / "baselines" / "tfidf_logreg.yml",
}
SPLITS = {
    "limpio": [p for p in sorted(PROJECT.test_split.glob("*.yml"))],
    "basico": [PROJECT.test_split / "basico"],
    "dificil": [PROJECT.test_split / "dificil"],
}
RESULTS = PROJECT.root / "docs" / "nlu-baselines.json"
KEYS = ("macro_f1", "fallback_rate", "accuracy_when_answered", "median_parse_ms", "p95_parse_ms")


def train(config: Path, nlu: Path, out: Path, name: str) -> Path:
    command = [
        rasa_executable(),
        "train",
        "nlu",
        "--config",
        str(config),
        "--nlu",
        str(nlu),
        "--out",
        str(out),
        "--fixed-model-name",
        name,
    ]
    subprocess.run(command, cwd=PROJECT.root, check=True, capture_output=True)
    return out / f"{name}.tar.gz"


def examples_of(paths: list[Path]) -> list[Example]:
    return [e for path in paths for e in load_examples(path)]


def write_nlu(examples: list[Example], path: Path, extra: list[Path]) -> None:
    """A training folder: these intent examples, plus the files without intents (entities)."""
    path.mkdir(parents=True)
    by_intent: dict[str, list[str]] = defaultdict(list)
    for example in examples:
        by_intent[example.intent].append(example.text)
    blocks = [{"intent": i, "examples": "".join(f"- {t}\n" for t in texts)} for i, texts in by_intent.items()]
    (path / "ejemplos.yml").write_text(
        yaml.safe_dump({"version": "3.1", "nlu": blocks}, allow_unicode=True), encoding="utf-8"
    )
    for file in extra:
        shutil.copy(file, path / file.name)


def folds(examples: list[Example], count: int) -> list[list[Example]]:
    """Stratified: each intent's examples dealt round-robin after a fixed shuffle."""
    by_intent: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_intent[example.intent].append(example)
    parts: list[list[Example]] = [[] for _ in range(count)]
    rng = random.Random(42)
    for intent in sorted(by_intent):
        group = by_intent[intent]
        rng.shuffle(group)
        for index, example in enumerate(group):
            parts[index % count].append(example)
    return parts


def cross_validate(config: Path, count: int, work: Path) -> float:
    """Macro-F1 over the pooled predictions of every fold."""
    from protheus.trainer.evaluation import metrics, predict

    training = load_examples(PROJECT.nlu)
    entity_files = [p for p in PROJECT.nlu.glob("*.yml") if "intent:" not in p.read_text(encoding="utf-8")]
    truth, guesses, known = [], [], set()
    for index, held_out in enumerate(folds(training, count)):
        rest = [e for part_index, part in enumerate(folds(training, count)) if part_index != index for e in part]
        data = work / f"{config.stem}-pliegue-{index}"
        write_nlu(rest, data, entity_files)
        model = train(config, data, work, f"{config.stem}-{index}")
        predictions, model_known, _ = asyncio.run(predict(model, [e.text for e in held_out]))
        truth += held_out
        guesses += predictions
        known |= model_known
    return metrics(truth, guesses, known)["macro_f1"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--sin-validacion-cruzada", action="store_true")
    args = parser.parse_args()
    quiet_logs()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for label, config in CANDIDATES.items():
            model = train(config, PROJECT.nlu, work, config.stem)
            results[label] = {
                split: {k: evaluate_examples(examples_of(paths), model)[k] for k in KEYS}
                for split, paths in SPLITS.items()
            }
            if not args.sin_validacion_cruzada:
                results[label]["validacion_cruzada_macro_f1"] = cross_validate(config, args.folds, work)
            print(label, json.dumps(results[label], ensure_ascii=False), flush=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print_table(results)


def print_table(results: dict[str, dict]) -> None:
    print("| pipeline | conjunto | macro-F1 | aclaraciones | acierto al responder | parse mediana / p95 (ms) |")
    print("|---|---|---|---|---|---|")
    for label, by_split in results.items():
        for split in SPLITS:
            r = by_split[split]
            print(
                f"| {label} | {split} | {r['macro_f1']:.3f} | {r['fallback_rate']:.1%} | "
                f"{r['accuracy_when_answered']:.1%} | {r['median_parse_ms']:.1f} / {r['p95_parse_ms']:.1f} |"
            )
        if "validacion_cruzada_macro_f1" in by_split:
            print(f"| {label} | validación cruzada de data/ | {by_split['validacion_cruzada_macro_f1']:.3f} | | | |")


if __name__ == "__main__":
    main()
