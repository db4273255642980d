"""Does a turn cost more as the conversation grows? (issue 26) Loopback only, bounded.

One client holds long conversations (CONVERSATIONS of TURNS turns, guideline questions that
start no form) with this project's embedded default (one process, SQLite) and with the stock
Rasa bot of bench/serving.py deployed the same way (one `rasa run` on SQLite). Around every
turn it reads the CPU time of the Rasa process and the action server (every thread's
/proc/<pid>/task/<tid>/schedstat, in nanoseconds) and prints the CPU milliseconds per turn
at turns 5, 20 and 60 (the mean of the turns around each), and their ratio to turn 5.
Usage: python bench/turn_growth.py [--turnos 62] [--conversaciones 6]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]
os.environ["MESSAGES_PER_MINUTE_SENDER"] = "100000"  # one customer, many turns a minute

from bench.serving import (  # noqa: E402
    STOCK_SQLITE,
    _stop,
    _tree,
    drop_queue,
    start_project,
    start_stock_shape,
    stock_model,
)
from protheus.common.paths import PROJECT  # noqa: E402
from protheus.supervisor.processes import Service, wait_until_ready  # noqa: E402

LINES = [
    "¿qué es el soporte prime?",
    "¿en qué horario atienden?",
    "¿qué cubre el soporte estándar?",
    "¿cuál es el horario del soporte prime?",
]
AT = (5, 20, 60)
AROUND = 2  # the turns at AT ± AROUND are averaged
RESULTS = PROJECT.root / "docs" / "turn-growth.json"


def _threads_cpu_ns(services: list[Service]) -> int:
    total = 0
    for service in services:
        if service.name not in ("rasa", "actions"):
            continue
        for pid in _tree(service.process.pid):
            for task in Path(f"/proc/{pid}/task").iterdir():
                try:
                    total += int((task / "schedstat").read_text().split()[0])
                except OSError:
                    pass  # a thread that just ended
    return total


def measure(label: str, base: str, services: list[Service], turns: int, conversations: int) -> dict:
    by_turn: dict[int, list[float]] = {n: [] for n in range(1, turns + 1)}
    session = requests.Session()
    for _ in range(conversations):
        sender = f"crece-{uuid.uuid4().hex[:8]}"
        for n in range(1, turns + 1):
            before = _threads_cpu_ns(services)
            response = session.post(
                f"{base}/webhooks/rest/webhook", json={"sender": sender, "message": LINES[n % len(LINES)]}, timeout=60
            )
            if response.status_code != 200 or not response.json():
                raise SystemExit(f"{label}: el turno {n} no tuvo respuesta ({response.status_code})")
            time.sleep(0.05)  # what the turn left running (a published event, a log line) counts for it
            by_turn[n].append((_threads_cpu_ns(services) - before) / 1e6)
    figures = {
        str(at): statistics.mean(v for n in range(at - AROUND, at + AROUND + 1) for v in by_turn[n]) for at in AT
    }
    ratio = figures[str(AT[-1])] / figures[str(AT[0])]
    print(
        f"{label:36} CPU ms/turno: "
        + "  ".join(f"turno {at}: {figures[str(at)]:.1f}" for at in AT)
        + f"  (turno {AT[-1]} / turno {AT[0]}: ×{ratio:.2f})",
        flush=True,
    )
    return {**figures, "ratio": ratio}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--turnos", type=int, default=AT[-1] + AROUND)
    parser.add_argument("--conversaciones", type=int, default=6)
    parser.add_argument("--solo-proyecto", action="store_true", help="sin el bot estándar (no lo entrena)")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        token = uuid.uuid4().hex
        if not args.solo_proyecto:
            stock, base, _ = start_stock_shape(STOCK_SQLITE, stock_model(work), token, work)
            try:
                wait_until_ready(stock, timeout=240)
                results[STOCK_SQLITE] = measure(STOCK_SQLITE, base, stock, args.turnos, args.conversaciones)
            finally:
                _stop(stock)
        services, base, queue, _ = start_project(work, 1)
        try:
            label = "este proyecto, 1 proceso (SQLite)"
            results[label] = measure(label, base, services, args.turnos, args.conversaciones)
        finally:
            _stop(services)
            drop_queue(queue)
    if not args.solo_proyecto:
        RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
