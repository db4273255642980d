"""Server start-up time and REST latency of the active model.

Prints medians, each with a ratio against a baseline measured in the same run:
  ready time  vs. `rasa --version` (the cost of importing Rasa/TensorFlow alone)
  REST reply  vs. GET /version on the same server (HTTP round trip alone)
Usage: python bench/server_startup.py [--runs 3] [--messages 60]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests

from protheus.common.paths import PROJECT, rasa_executable
from protheus.common.settings import Ports
from protheus.db import prepare
from protheus.db.database import Database
from protheus.supervisor.processes import start_action_server, start_rasa_server, wait_until_ready
from protheus.trainer.evaluation import load_examples
from protheus.trainer.lifecycle import ModelLifecycle

PORTS = Ports(rasa=17005, actions=17055, host="127.0.0.1")


def time_import() -> float:
    started = time.perf_counter()
    subprocess.run([rasa_executable(), "--version"], capture_output=True, check=True)
    return time.perf_counter() - started


def start(model: Path, token: str):
    services = [start_action_server(PORTS), start_rasa_server(model, token, PORTS)]
    started = time.perf_counter()
    wait_until_ready(services, timeout=300)
    return services, time.perf_counter() - started


def latencies(base: str, texts: list[str]) -> tuple[list[float], list[float]]:
    rest, version = [], []
    for text in texts:
        sender = uuid.uuid4().hex
        t0 = time.perf_counter()
        requests.post(
            f"{base}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
        ).raise_for_status()
        rest.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        requests.get(f"{base}/version", timeout=30).raise_for_status()
        version.append((time.perf_counter() - t0) * 1000)
    return rest, version


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--messages", type=int, default=60)
    args = parser.parse_args()
    db = Database()
    prepare(db)
    model = ModelLifecycle(db).active_model()
    if model is None:
        sys.exit("No hay modelo: ejecute `make train`.")
    token = uuid.uuid4().hex
    imports = [time_import() for _ in range(args.runs)]
    ready = []
    texts = [e.text for e in load_examples(PROJECT.test_split)][::7][: args.messages]
    for run in range(args.runs):
        services, seconds = start(model, token)
        ready.append(seconds)
        try:
            if run == args.runs - 1:
                rest, version = latencies(f"http://127.0.0.1:{PORTS.rasa}", texts)
        finally:
            for s in reversed(services):
                s.stop()
    m_import, m_ready = statistics.median(imports), statistics.median(ready)
    m_rest, m_version = statistics.median(rest), statistics.median(version)
    print(f"modelo: {model.name}")
    print(
        f"servidor listo (mediana de {args.runs}): {m_ready:.1f} s  | base `rasa --version` {m_import:.1f} s  "
        f"| ×{m_ready / m_import:.2f}"
    )
    print(
        f"respuesta REST (mediana de {len(rest)}): {m_rest:.1f} ms  | base GET /version {m_version:.1f} ms  "
        f"| ×{m_rest / m_version:.1f}"
    )
    print(f"respuesta REST p90: {sorted(rest)[int(len(rest) * 0.9)]:.1f} ms")


if __name__ == "__main__":
    main()
