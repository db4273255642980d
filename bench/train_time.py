"""Training time from scratch (NLU + dialogue), chosen config vs. the sparse-only baseline.

Usage: python bench/train_time.py [--runs 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from protheus.common.paths import PROJECT, rasa_executable

ROOT = PROJECT.root
RASA = rasa_executable()
# Rasa caches trained components under .rasa/cache: a benchmark must train from scratch.
NO_CACHE = {**os.environ, "RASA_MAX_CACHE_SIZE": "0"}


def train_seconds(config: Path) -> float:
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        subprocess.run(
            [
                RASA,
                "train",
                "--force",
                "--config",
                str(config),
                "--domain",
                str(PROJECT.domain),
                "--data",
                str(PROJECT.data),
                "--out",
                out,
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
            env=NO_CACHE,
        )
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    chosen = statistics.median(train_seconds(PROJECT.config) for _ in range(args.runs))
    baseline = statistics.median(train_seconds(ROOT / "bench" / "pipelines" / "a_sparse.yml") for _ in range(args.runs))
    print(f"entrenamiento completo desde cero, config.yml (mediana de {args.runs}): {chosen:.0f} s")
    print(f"base: solo rasgos dispersos (a_sparse): {baseline:.0f} s  | ×{chosen / baseline:.2f}")


if __name__ == "__main__":
    main()
