"""The error log parser on real logs (issue 22): field accuracy on the held-out real logs and on
the rest, by field and by kind, against the parser before the issue (bench/baselines/
error_log_anterior.py) in the same run; and the time to parse a 20,000-character log.

Usage: python bench/error_logs.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench" / "baselines")]

import error_log_anterior  # noqa: E402 - the parser before the issue, for comparison

from protheus.support.error_log import parse, split_log  # noqa: E402
from tests.error_logs.corpus import FIELDS, pasted_shapes, read_logs, score  # noqa: E402

LONG_LOG_CHARS = 20_000
RUNS = 200


def table(title: str, logs: list, parsers: dict) -> None:
    results = {name: score(logs, function) for name, function in parsers.items()}
    print(f"\n{title} ({len(logs)} logs): " + " · ".join(parsers))
    for field in FIELDS:
        cells = []
        for result in results.values():
            right, total = result["campos"][field]
            cells.append(f"{right}/{total} ({right / total:.0%})" if total else "—")
        print(f"  {field:<20} " + " · ".join(cells))


def by_kind(logs: list) -> None:
    groups = defaultdict(list)
    for log in logs:
        groups[log.truth.get("tipo")].append(log)
    print("\nPor tipo (reservados, este parser: campos bien / campos con valor):")
    for kind, group in sorted(groups.items(), key=lambda item: str(item[0])):
        result = score(group, parse)
        right = sum(r for r, _ in result["campos"].values())
        total = sum(t for _, t in result["campos"].values())
        print(f"  {str(kind):<24} {len(group):>3} logs  {right}/{total}")


def long_log(logs: list) -> str:
    text = "me sale esto al grabar:\n"
    for log in logs:
        text += log.text + "\n"
        if len(text) >= LONG_LOG_CHARS:
            break
    return text[:LONG_LOG_CHARS]


def one_long_log(logs: list) -> str:
    """A whole error.log of LONG_LOG_CHARS: the header and message of the longest real log, then its
    stack and information lines again and again, as a deep stack makes it."""
    longest = max(logs, key=lambda log: len(log.text)).text.splitlines()
    head, body = "\n".join(longest[:3]), "\n".join(longest[3:])
    text = head
    while len(text) < LONG_LOG_CHARS:
        text += "\n" + body
    return text[:LONG_LOG_CHARS]


def timing(text: str, reader: Callable[[str], Any] = parse) -> float:
    reader(text)  # warm the caches (rutinas.yml)
    times = []
    for _ in range(RUNS):
        parse.cache_clear()  # each message is read once and cached: time the reading, not the cache
        split_log.cache_clear()
        started = time.perf_counter()
        reader(text)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def print_timing(title: str, text: str) -> None:
    now, before = timing(text), timing(text, error_log_anterior.parse)
    chars = f"{len(text):,}".replace(",", " ")
    print(f"{title} ({chars} caracteres): {now:.2f} ms · parser anterior {before:.2f} ms (medianas de {RUNS})")


def main() -> None:
    logs = read_logs()
    held_out = [log for log in logs if log.held_out]
    rest = [log for log in logs if not log.held_out]
    parsers = {"este parser": parse, "parser anterior": error_log_anterior.parse}
    table("Logs reales reservados (nunca usados para ajustar)", held_out, parsers)
    table("Logs reales de desarrollo", rest, parsers)
    table("Cómo los pegan los clientes (variantes de los reservados)", pasted_shapes(held_out), parsers)
    by_kind(held_out)
    print()
    print_timing("Un error.log entero", one_long_log(logs))
    print_timing("Logs distintos pegados uno tras otro", long_log(logs))


if __name__ == "__main__":
    main()
