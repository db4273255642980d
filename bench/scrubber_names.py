"""Names in the middle of a sentence: how many the trainers' scrubber removes, with and
without spaCy's named-entity recogniser (baseline: the rules alone, same run).

Usage: python bench/scrubber_names.py
"""

from __future__ import annotations

import statistics
import time

import yaml

from protheus.common.paths import PROJECT
from protheus.trainer.scrubber import Scrubber

DATA = PROJECT.root / "tests" / "data" / "nombres_sueltos.yml"


def measure(scrubber: Scrubber, data: dict) -> tuple[int, int, float]:
    caught = sum(name not in scrubber.scrub(sentence) for sentence, name in data["con_nombre"])
    wrong = sum(scrubber.scrub(sentence) != sentence for sentence in data["sin_nombre"])
    times = []
    for sentence, _ in data["con_nombre"]:
        started = time.perf_counter()
        scrubber.scrub(sentence)
        times.append((time.perf_counter() - started) * 1000)
    return caught, wrong, statistics.median(times)


def main() -> None:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    total, clean = len(data["con_nombre"]), len(data["sin_nombre"])
    for label, scrubber in (
        ("solo reglas (base)", Scrubber(recognise_names=False)),
        ("reglas + NER de spaCy", Scrubber()),
    ):
        scrubber.scrub("hola")  # load the model outside the timing
        caught, wrong, ms = measure(scrubber, data)
        print(
            f"{label:24} nombres sueltos quitados {caught}/{total}  frases sin nombre alteradas {wrong}/{clean}"
            f"  mediana {ms:.2f} ms"
        )


if __name__ == "__main__":
    main()
