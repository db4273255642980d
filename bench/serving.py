"""Serving speed against a stock Rasa 3.6 bot (issue 12), loopback only, bounded.

The baseline is a stock bot: Rasa's default `rasa init` NLU pipeline (bench/baselines/
rasa_init_diet.yml) with MemoizationPolicy and RulePolicy, trained on this project's NLU data
and responses, one rule per intent, no custom actions, in-memory tracker and lock stores.
Then this project: the embedded default (one replica, SQLite) and, when PostgreSQL and Redis
answer, the production profile with 2 replicas behind nginx. The same async client sends the
same message mix (guideline replies, a hand-off, a full error triage) at 1, 10 and 50
concurrent conversations, and prints p50/p95/p99, turns/s, errors, the Rasa processes' RSS,
and whether every message sent is in the tracker store once, in order.
Usage: python bench/serving.py [--niveles 1 10 50] [--sin-replicas]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp
import yaml

from protheus.common.model_pull import model_server_endpoint
from protheus.common.paths import PROJECT, rasa_executable
from protheus.common.settings import Ports
from protheus.db import prepare
from protheus.db.database import Database
from protheus.supervisor.processes import (
    Service,
    start_action_server,
    start_balancer,
    start_rasa_server,
    start_web_server,
    wait_until_ready,
)
from protheus.supervisor.serving import Profile, endpoint_entries, replica_ports
from protheus.trainer.lifecycle import ModelLifecycle
from protheus.trainer.registry import ModelRegistry

MIX = [
    "hola",
    "¿qué es el soporte prime?",
    "necesito un query que me traiga las ventas por vendedor",
    "al grabar el pedido de venta en MATA410 me sale un error de índice duplicado",
    "sí",
    "no",
    "STD01",
    "facilitador.std@example.com",
    "gracias",
]
LABELS = {
    (1, 1): "este proyecto, 1 proceso (SQLite)",
    (2, 1): "este proyecto, 2 réplicas (producción)",
    (1, 2): "este proyecto, 1 réplica × 2 workers Sanic",
}
RESULTS = PROJECT.root / "docs" / "serving-results.json"
STOCK_PORT = 27005
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS = "redis://127.0.0.1:6379/14"
BROKER = "amqp://guest:guest@127.0.0.1:5672"


# --- the stock bot -------------------------------------------------------------------
def _stock_domain() -> dict:
    intents = yaml.safe_load((PROJECT.domain / "intents.yml").read_text(encoding="utf-8"))["intents"]
    responses: dict = {}
    for path in sorted(PROJECT.domain.glob("responses_*.yml")):
        responses.update(yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {})
    for variants in responses.values():  # no slots in the stock bot: placeholders become text
        for variant in variants:
            variant["text"] = re.sub(r"\{[^}]+\}", "Soporte", variant.get("text", ""))
            variant.pop("buttons", None)
    return {"version": "3.1", "intents": intents, "responses": responses}


def stock_model(work: Path) -> Path:
    """The stock bot's model, trained once per content (kept in models/bench/)."""
    domain = _stock_domain()
    rules = [
        {"rule": f"responder {i}", "steps": [{"intent": i}, {"action": f"utter_{i}"}]}
        for i in domain["intents"]
        if f"utter_{i}" in domain["responses"]
    ]
    config = yaml.safe_load((PROJECT.root / "bench" / "baselines" / "rasa_init_diet.yml").read_text(encoding="utf-8"))
    config["policies"] = [{"name": "MemoizationPolicy"}, {"name": "RulePolicy"}]
    config["pipeline"] = [c for c in config["pipeline"] if c["name"] != "FallbackClassifier"] + [
        {"name": "FallbackClassifier", "threshold": 0.3, "ambiguity_threshold": 0.1}
    ]
    nlu = "".join(p.read_text(encoding="utf-8") for p in sorted(PROJECT.nlu.glob("*.yml")))
    digest = hashlib.sha256(json.dumps([domain, rules, config], sort_keys=True).encode() + nlu.encode()).hexdigest()
    target = PROJECT.models / "bench" / f"stock-{digest[:16]}.tar.gz"
    if target.exists():
        return target
    project = work / "stock"
    (project / "data").mkdir(parents=True)
    (project / "domain.yml").write_text(yaml.safe_dump(domain, allow_unicode=True), encoding="utf-8")
    (project / "config.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    (project / "data" / "rules.yml").write_text(
        yaml.safe_dump({"version": "3.1", "rules": rules}, allow_unicode=True), encoding="utf-8"
    )
    shutil.copytree(PROJECT.nlu, project / "data" / "nlu")
    print("Entrenando el bot Rasa estándar de referencia (una vez; unos 20 minutos)...", flush=True)
    subprocess.run(
        [
            rasa_executable(),
            "train",
            "--config",
            "config.yml",
            "--domain",
            "domain.yml",
            "--data",
            "data",
            "--out",
            str(target.parent),
            "--fixed-model-name",
            target.name.removesuffix(".tar.gz"),
        ],
        cwd=project,
        check=True,
        capture_output=True,
    )
    return target


def start_stock(model: Path, token: str, work: Path) -> Service:
    """`rasa run` as a stock project has it: Rasa's own REST and socket.io channels, no endpoints.
    (Run from the repository, Rasa would read this project's credentials.yml: our channels.)"""
    from protheus.supervisor.processes import _spawn, rasa_command, rasa_token_env

    home = work / "stock-run"
    home.mkdir(exist_ok=True)
    (home / "credentials.yml").write_text("rest:\nsocketio:\n", encoding="utf-8")
    (home / "endpoints.yml").write_text("", encoding="utf-8")
    # Through the launcher, as our replicas: the token is not on the command line either.
    command = rasa_command(
        "run",
        "--model",
        str(model),
        "--enable-api",
        "--port",
        str(STOCK_PORT),
        "--interface",
        "127.0.0.1",
        "--credentials",
        str(home / "credentials.yml"),
        "--endpoints",
        str(home / "endpoints.yml"),
    )
    health = f"http://127.0.0.1:{STOCK_PORT}/status?token={token}"
    return _spawn("rasa", STOCK_PORT, command, health, rasa_token_env(token), cwd=home)


# --- the client ------------------------------------------------------------------------
async def _conversation(
    session: aiohttp.ClientSession, url: str, sender: str, latencies: list[float], errors: list[str]
) -> None:
    for line in MIX:
        started = time.perf_counter()
        try:
            async with session.post(url, json={"sender": sender, "message": line}) as response:
                body = await response.json(content_type=None)
                if response.status != 200 or not body:
                    errors.append(f"{response.status} {line}")
        except Exception as error:  # noqa: BLE001 - counted, not raised
            errors.append(f"{type(error).__name__} {line}")
        latencies.append((time.perf_counter() - started) * 1000)


async def drive(base: str, level: int, conversations: int) -> dict:
    """`conversations` conversations, `level` at a time; returns the figures and the senders."""
    latencies: list[float] = []
    errors: list[str] = []
    senders = [f"bench-{uuid.uuid4().hex[:10]}" for _ in range(conversations)]
    url = f"{base}/webhooks/rest/webhook"
    started = time.perf_counter()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
        for start in range(0, conversations, level):
            await asyncio.gather(
                *(_conversation(session, url, s, latencies, errors) for s in senders[start : start + level])
            )
    wall = time.perf_counter() - started
    latencies.sort()

    def quantile(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))]

    return {
        "turns": len(latencies),
        "p50": statistics.median(latencies),
        "p95": quantile(0.95),
        "p99": quantile(0.99),
        "turns_per_s": len(latencies) / wall,
        "errors": len(errors),
        "senders": senders,
    }


def _tree(pid: int) -> list[int]:
    """The process and its descendants (Sanic workers are children of `rasa run`)."""
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += [int(c) for c in (task / "children").read_text().split()]
    return [pid] + [p for child in children for p in _tree(child)]


def rss_mb(services: list[Service]) -> float:
    total = 0
    for service in services:
        if service.name != "rasa":
            continue
        for pid in _tree(service.process.pid):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def stored_in_order_http(base: str, token: str, senders: list[str]) -> int:
    """How many conversations lack a message or hold one twice or out of order (Rasa's HTTP API)."""
    import requests

    bad = 0
    for sender in senders:
        events = requests.get(f"{base}/conversations/{sender}/tracker", params={"token": token}, timeout=30).json()
        bad += [e.get("text") for e in events["events"] if e.get("event") == "user"] != MIX
    return bad


def stored_in_order_sql(url: str, senders: list[str]) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url, future=True)
    bad = 0
    with engine.connect() as connection:
        for sender in senders:
            rows = connection.execute(
                text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"), {"s": sender}
            )
            bad += [json.loads(d)["text"] for (d,) in rows] != MIX
    engine.dispose()
    return bad


def missing_from_index(url: str, senders: list[str], wait: float = 20.0) -> int:
    """Conversations the console's index (fed by the event stream) has not taken within `wait` s."""
    from sqlalchemy import create_engine, select

    from protheus.db.models import Conversation

    engine = create_engine(url, future=True)
    deadline = time.monotonic() + wait
    while True:
        with engine.connect() as connection:
            rows = connection.execute(
                select(Conversation.sender_id, Conversation.turns).where(Conversation.sender_id.in_(senders))
            ).all()
        missing = len(senders) - sum(turns == len(MIX) for _, turns in rows)
        if missing == 0 or time.monotonic() > deadline:
            engine.dispose()
            return missing
        time.sleep(0.5)


# --- the candidates --------------------------------------------------------------------
def start_project(work: Path, replicas: int, workers: int = 1) -> tuple[list[Service], str, str, str]:
    """This project as `make run` starts it; returns (services, base URL, event queue, database URL).
    One process on SQLite (the embedded default), or the production profile (PostgreSQL,
    Redis, RabbitMQ) with `replicas` replicas of `workers` Sanic workers each."""
    from sqlalchemy import create_engine, text

    token = uuid.uuid4().hex
    if replicas == 1 and workers == 1:
        url, lock, broker = f"sqlite:///{work / f'protheus-{uuid.uuid4().hex[:6]}.db'}", "", ""
        public = Ports(rasa=27105, actions=27155, web=27180, host="127.0.0.1")
    else:
        name = f"protheus_bench_{uuid.uuid4().hex[:8]}"
        with create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT").connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url, lock, broker = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}", REDIS, BROKER
        public = Ports(rasa=27205 + 300 * (workers - 1), actions=27255, web=27280, host="127.0.0.1")
    db = Database(url)
    prepare(db)
    model = ModelLifecycle(Database()).active_model()
    if model is None:
        raise SystemExit("No hay modelo activo: ejecute `make train`.")
    ModelRegistry(db).register(model.name, "bench", "bench", {}, {})
    ModelRegistry(db).activate(model.name, "bench")
    queue = f"bench_{uuid.uuid4().hex[:8]}"  # this run's own; deleted at the end (drop_queue)
    env = {
        "DATABASE_URL": url,
        "RASA_TOKEN": token,
        "EVENT_BROKER_URL": broker,
        "EVENT_QUEUE": queue,
        "SANIC_WORKERS": str(workers),
    }
    extra = {
        **endpoint_entries(Profile(replicas, url, lock, broker, queue)),
        "models": model_server_endpoint(public.web, token, 5),
    }
    services = [start_web_server(public, env)]
    wait_until_ready(services, timeout=60)
    ports = [public] if replicas == 1 else replica_ports(public, replicas)
    status = work / f"estado-{public.rasa}.json"
    services += [start_action_server(p, env) for p in ports]
    services += [start_rasa_server(model, token, p, env, extra, status) for p in ports]
    if replicas > 1:
        services.append(start_balancer(public, ports))
    wait_until_ready(services, timeout=240)
    return services, f"http://127.0.0.1:{public.rasa}", queue if broker else "", url


def drop_queue(queue: str) -> None:
    import aio_pika

    async def drop() -> None:
        async with await aio_pika.connect(BROKER + "/") as connection:
            channel = await connection.channel()
            await channel.queue_delete(queue)

    if queue:
        asyncio.run(drop())


def measure(label: str, base: str, levels: list[int], services: list[Service], check, index_check=None) -> dict:
    results = {}
    for level in levels:
        conversations = max(level, 5) if level == 1 else level
        figures = asyncio.run(drive(base, level, conversations))
        figures["rss_mb"] = rss_mb(services)
        senders = figures.pop("senders")
        figures["not_in_order"] = check(senders)
        if index_check is not None:
            figures["missing_from_index"] = index_check(senders)
        results[str(level)] = figures
        print(
            f"{label:34} {level:>3} conv.: p50 {figures['p50']:7.1f}  p95 {figures['p95']:7.1f}  "
            f"p99 {figures['p99']:7.1f} ms  {figures['turns_per_s']:6.1f} turnos/s  errores {figures['errors']}  "
            f"RSS {figures['rss_mb']:.0f} MB  fuera de orden {figures['not_in_order']}"
            + (f"  sin indexar {figures['missing_from_index']}" if "missing_from_index" in figures else ""),
            flush=True,
        )
    return results


def _stop(services: list[Service]) -> None:
    for service in reversed(services):
        service.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--niveles", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--sin-replicas", action="store_true")
    args = parser.parse_args()
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        token = uuid.uuid4().hex
        stock = [start_stock(stock_model(work), token, work)]
        try:
            wait_until_ready(stock, timeout=240)
            base = f"http://127.0.0.1:{STOCK_PORT}"
            results["rasa estándar"] = measure(
                "Rasa estándar (base)", base, args.niveles, stock, lambda s: stored_in_order_http(base, token, s)
            )
        finally:
            _stop(stock)
        profiles = [(1, 1)] if args.sin_replicas else [(1, 1), (2, 1), (1, 2)]
        for replicas, workers in profiles:
            label = LABELS[(replicas, workers)]
            services, base, queue, url = start_project(work, replicas, workers)
            try:
                results[label] = measure(
                    label,
                    base,
                    args.niveles,
                    services,
                    lambda s, url=url: stored_in_order_sql(url, s),
                    (lambda s, url=url: missing_from_index(url, s)) if (replicas, workers) != (1, 1) else None,
                )
            finally:
                _stop(services)
                drop_queue(queue)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    baseline = results["rasa estándar"]
    print("\nRelación con la base (mismo cliente, misma corrida):")
    for label, by_level in results.items():
        if label == "rasa estándar":
            continue
        for level, figures in by_level.items():
            base_figures = baseline[level]
            print(
                f"  {label:34} {level:>3} conv.: p50 ×{figures['p50'] / base_figures['p50']:.2f}  "
                f"p99 ×{figures['p99'] / base_figures['p99']:.2f}  "
                f"turnos/s ×{figures['turns_per_s'] / base_figures['turns_per_s']:.2f}"
            )


if __name__ == "__main__":
    main()
