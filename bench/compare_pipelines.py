"""Compare candidate NLU pipelines on the held-out split evaluation/nlu.

Each candidate in bench/pipelines/ is trained (NLU only) from data/ and
evaluated with `python -m protheus.trainer evaluar` in its own process. Prints a table and
writes it to docs/pipeline.md (with the raw figures in docs/pipeline-results.json).
Usage: python bench/compare_pipelines.py [candidate.yml ...]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from protheus.common.paths import PROJECT, rasa_executable

ROOT = PROJECT.root
PYTHON = sys.executable
RASA = rasa_executable()
# Rasa caches trained components under .rasa/cache: a benchmark must train from scratch.
NO_CACHE = {**os.environ, "RASA_MAX_CACHE_SIZE": "0"}
RESULTS = ROOT / "docs" / "pipeline-results.json"


def train(config: Path, out: Path) -> tuple[Path, float]:
    started = time.perf_counter()
    subprocess.run(
        [
            RASA,
            "train",
            "nlu",
            "--config",
            str(config),
            "--nlu",
            str(PROJECT.data),
            "--out",
            str(out),
            "--fixed-model-name",
            config.stem,
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env=NO_CACHE,
    )
    return out / f"{config.stem}.tar.gz", time.perf_counter() - started


def evaluate(model: Path) -> dict:
    result = subprocess.run(
        [PYTHON, "-m", "protheus.trainer", "evaluar", str(PROJECT.test_split), "--modelo", str(model)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    candidates = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "bench" / "pipelines").glob("*.yml"))
    rows = json.loads(RESULTS.read_text()) if RESULTS.exists() and sys.argv[1:] else {}
    with tempfile.TemporaryDirectory() as tmp:
        for config in candidates:
            print(f"== {config.stem}: entrenando...", flush=True)
            model, seconds = train(config, Path(tmp))
            result = evaluate(model)
            rows[config.stem] = {
                "macro_f1": result["macro_f1"],
                "accuracy": result["accuracy"],
                "fallback_rate": result["fallback_rate"],
                "train_s": round(seconds, 1),
                "median_parse_ms": result["median_parse_ms"],
                "n": result["n"],
                "top_confusions": result["top_confusions"][:6],
                "description": config.read_text().splitlines()[0].lstrip("# "),
            }
            print(json.dumps(rows[config.stem]), flush=True)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    baseline = rows.get("a_sparse")
    lines = [
        "| candidato | macro-F1 | exactitud | aclaraciones | entrenamiento NLU (s) | × base "
        "| parse mediana (ms) | × base |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in rows.items():
        t_ratio = f"{r['train_s'] / baseline['train_s']:.2f}" if baseline else "-"
        p_ratio = f"{r['median_parse_ms'] / baseline['median_parse_ms']:.2f}" if baseline else "-"
        lines.append(
            f"| {name} | {r['macro_f1']:.3f} | {r['accuracy']:.3f} | {r['fallback_rate']:.1%} | {r['train_s']} "
            f"| {t_ratio} | {r['median_parse_ms']} | {p_ratio} |"
        )
    table = "\n".join(lines)
    print(table)
    (ROOT / "docs" / "pipeline-table.md").write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
