"""Serving speed against stock Rasa 3.6 deployed the same way (issues 12 and 26), loopback
only, bounded.

The stock bot: Rasa's default `rasa init` NLU pipeline (bench/baselines/rasa_init_diet.yml) with
MemoizationPolicy and RulePolicy, trained on this project's NLU data and responses, one rule per
intent, no custom actions, started with plain `rasa run` (none of this project's code). It is
deployed three ways: in memory (a reference), on SQLite (one process: the shape of the embedded
default) and as two replicas on PostgreSQL with Rasa's RedisLockStore behind this project's nginx
configuration (the shape of the replica profile, as Rasa's Helm chart deploys it). Then this
project: the embedded default (one process, SQLite) and the replica profile (2 replicas behind
nginx, PostgreSQL, Redis, RabbitMQ). The same async client sends the same message mix (guideline
replies, a hand-off, a full error triage) at 1, 20 and 50 concurrent conversations, and prints
p50/p95/p99, turns/s, errors, RSS per Rasa process, **CPU milliseconds per turn of every process
of the stack** (from /proc: Rasa, actions, web, PostgreSQL, Redis, RabbitMQ, nginx), and whether
every message sent is in the tracker store once, in order. Ratios are against the same shape.
Usage: python bench/serving.py [--niveles 1 20 50] [--sin-replicas]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import uuid
from dataclasses import replace
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
LABELS = {1: "este proyecto, 1 proceso (SQLite)", 2: "este proyecto, 2 réplicas (producción)"}
STOCK_MEMORY, STOCK_SQLITE, STOCK_REPLICAS = (
    "Rasa estándar, en memoria",
    "Rasa estándar, SQLite",
    "Rasa estándar, 2 réplicas (PostgreSQL, Redis, nginx)",
)
SAME_SHAPE = {LABELS[1]: STOCK_SQLITE, LABELS[2]: STOCK_REPLICAS}
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


def start_stock(model: Path, token: str, work: Path, port: int, endpoints: str = "") -> Service:
    """Plain `rasa run`, as a stock project has it: Rasa's own REST and socket.io channels and
    the given endpoints.yml; none of this project's code (not even its launcher, which installs
    this project's patches). (Run from the repository, Rasa would read this project's
    credentials.yml: our channels.)"""
    from protheus.common.paths import rasa_executable
    from protheus.supervisor.processes import _spawn

    home = work / f"stock-run-{port}"
    home.mkdir(exist_ok=True)
    (home / "credentials.yml").write_text("rest:\nsocketio:\n", encoding="utf-8")
    (home / "endpoints.yml").write_text(endpoints, encoding="utf-8")
    command = [
        rasa_executable(),
        "run",
        "--model",
        str(model),
        "--enable-api",
        "--port",
        str(port),
        "--interface",
        "127.0.0.1",
        "--credentials",
        str(home / "credentials.yml"),
        "--endpoints",
        str(home / "endpoints.yml"),
        "--auth-token",
        token,  # loopback benchmark: on the command line, as a stock deployment has it
    ]
    health = f"http://127.0.0.1:{port}/status?token={token}"
    return _spawn("rasa", port, command, health, cwd=home)


def stock_sqlite_endpoints(work: Path) -> str:
    return f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {work / 'stock-rasa.db'}\n"


def stock_replica_endpoints(database: str) -> str:
    """Rasa's own SQL tracker store on PostgreSQL and its RedisLockStore (the Helm chart's shape)."""
    return (
        "tracker_store:\n  type: SQL\n  dialect: postgresql\n  url: 127.0.0.1\n  port: 5432\n"
        f"  db: {database}\n  username: postgres\n"
        "lock_store:\n  type: redis\n  url: 127.0.0.1\n  port: 6379\n  db: 12\n"
    )


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
    """Resident memory of one Rasa process (the mean over the stack's Rasa processes)."""
    total, count = 0, 0
    for service in services:
        if service.name != "rasa":
            continue
        count += 1
        for pid in _tree(service.process.pid):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024 / max(count, 1)


PROGRAM_ORDER = ("rasa", "acciones", "web", "postgresql", "redis", "rabbitmq", "nginx")


def _program(pid: str) -> str | None:
    """Which program of a stack a process belongs to (None: not one of them, e.g. this client)."""
    try:
        comm = Path(f"/proc/{pid}/comm").read_text().strip()
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None
    if "protheus.rasa_server" in command or "bin/rasa run" in command:
        return "rasa"
    if "protheus.action_server" in command:
        return "acciones"
    if "protheus.webapp" in command:
        return "web"
    if comm == "nginx":
        return "nginx"
    if comm.startswith(("postgres", "postmaster")):
        return "postgresql"
    if comm == "redis-server":
        return "redis"
    if comm in ("beam.smp", "erl_child_setup", "epmd", "inet_gethost") or "rabbitmq" in command:
        return "rabbitmq"
    return None


def cpu_ticks() -> dict[str, int]:
    """CPU time (user + system, with exited children: PostgreSQL's backends) of each program, in
    clock ticks. Whole processes are counted, so CPU per turn does not depend on the core count."""
    ticks: dict[str, int] = dict.fromkeys(PROGRAM_ORDER, 0)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        program = _program(entry.name)
        if program is None:
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks[program] += sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
    return ticks


def cpu_ms_per_turn(before: dict[str, int], after: dict[str, int], turns: int) -> dict[str, float]:
    tick = os.sysconf("SC_CLK_TCK")
    return {p: (after[p] - before[p]) * 1000 / tick / max(turns, 1) for p in PROGRAM_ORDER}


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
def start_project(work: Path, replicas: int) -> tuple[list[Service], str, str, str]:
    """This project as `make run` starts it; returns (services, base URL, event queue, database URL).
    One process on SQLite (the embedded default), or the production profile (PostgreSQL,
    Redis, RabbitMQ) with `replicas` replicas."""
    token = uuid.uuid4().hex
    if replicas == 1:
        url, lock, broker = f"sqlite:///{work / f'protheus-{uuid.uuid4().hex[:6]}.db'}", "", ""
        public = Ports(rasa=27105, actions=27155, web=27180, host="127.0.0.1")
    else:
        _, url = _database("protheus_bench")
        lock, broker = REDIS, BROKER
        public = Ports(rasa=27205, actions=27255, web=27280, host="127.0.0.1")
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
    asyncio.run(drive(base, 2, 2))  # warm-up, not measured: the first turns load what is loaded lazily
    for level in levels:
        conversations = max(level, 5) if level == 1 else level
        before = cpu_ticks()
        figures = asyncio.run(drive(base, level, conversations))
        figures["cpu_ms_per_turn"] = cpu_ms_per_turn(before, cpu_ticks(), figures["turns"])
        figures["rss_mb"] = rss_mb(services)
        senders = figures.pop("senders")
        figures["not_in_order"] = check(senders)
        if index_check is not None:
            figures["missing_from_index"] = index_check(senders)
        results[str(level)] = figures
        cpu = figures["cpu_ms_per_turn"]
        print(
            f"{label:40} {level:>3} conv.: p50 {figures['p50']:7.1f}  p95 {figures['p95']:7.1f}  "
            f"p99 {figures['p99']:7.1f} ms  {figures['turns_per_s']:6.1f} turnos/s  errores {figures['errors']}  "
            f"RSS/proceso Rasa {figures['rss_mb']:.0f} MB  fuera de orden {figures['not_in_order']}"
            + (f"  sin indexar {figures['missing_from_index']}" if "missing_from_index" in figures else "")
            + "\n"
            + " " * 46
            + "CPU ms/turno: "
            + "  ".join(f"{p} {cpu[p]:.1f}" for p in PROGRAM_ORDER if cpu[p] >= 0.05)
            + f"  (total {sum(cpu.values()):.1f})",
            flush=True,
        )
    return results


def _stop(services: list[Service]) -> None:
    for service in reversed(services):
        service.stop()


def _database(prefix: str) -> tuple[str, str]:
    """A new PostgreSQL database: (name, URL)."""
    from sqlalchemy import create_engine, text

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return name, PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def start_stock_shape(shape: str, model: Path, token: str, work: Path) -> tuple[list[Service], str, object]:
    """The stock bot deployed as `shape`: (services, base URL, the check of what it stored)."""
    base = f"http://127.0.0.1:{STOCK_PORT}"
    if shape == STOCK_MEMORY:
        return [start_stock(model, token, work, STOCK_PORT)], base, lambda s: stored_in_order_http(base, token, s)
    if shape == STOCK_SQLITE:
        url = f"sqlite:///{work / 'stock-rasa.db'}"
        services = [start_stock(model, token, work, STOCK_PORT, stock_sqlite_endpoints(work))]
        return services, base, lambda s: stored_in_order_sql(url, s)
    import redis

    redis.from_url("redis://127.0.0.1:6379/12").flushdb()
    name, url = _database("stock_bench")
    public = Ports(rasa=STOCK_PORT, actions=STOCK_PORT + 50, web=STOCK_PORT + 75, host="127.0.0.1")
    replicas = [replace(public, rasa=STOCK_PORT + 1 + i) for i in range(2)]
    services = [start_stock(model, token, work, r.rasa, stock_replica_endpoints(name)) for r in replicas]
    wait_until_ready(services, timeout=240)  # one creates the tables, then the other
    services.append(start_balancer(public, replicas))
    return services, base, lambda s: stored_in_order_sql(url, s)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--niveles", type=int, nargs="+", default=[1, 20, 50])
    parser.add_argument("--sin-replicas", action="store_true")
    args = parser.parse_args()
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        token = uuid.uuid4().hex
        model = stock_model(work)
        shapes = [STOCK_MEMORY, STOCK_SQLITE] + ([] if args.sin_replicas else [STOCK_REPLICAS])
        for shape in shapes:
            stock, base, check = start_stock_shape(shape, model, token, work)
            try:
                wait_until_ready(stock, timeout=240)
                results[shape] = measure(shape, base, args.niveles, stock, check)
            finally:
                _stop(stock)
        for replicas in [1] if args.sin_replicas else [1, 2]:
            label = LABELS[replicas]
            services, base, queue, url = start_project(work, replicas)
            try:
                results[label] = measure(
                    label,
                    base,
                    args.niveles,
                    services,
                    lambda s, url=url: stored_in_order_sql(url, s),
                    (lambda s, url=url: missing_from_index(url, s)) if replicas > 1 else None,
                )
            finally:
                _stop(services)
                drop_queue(queue)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print("\nRelación con Rasa estándar desplegado igual (mismo cliente, misma corrida):")
    for label, shape in SAME_SHAPE.items():
        if label not in results:
            continue
        for level, figures in results[label].items():
            base = results[shape][level]
            cpu, base_cpu = sum(figures["cpu_ms_per_turn"].values()), sum(base["cpu_ms_per_turn"].values())
            print(
                f"  {label:40} {level:>3} conv.: p50 ×{figures['p50'] / base['p50']:.2f}  "
                f"p99 ×{figures['p99'] / base['p99']:.2f}  "
                f"turnos/s ×{figures['turns_per_s'] / base['turns_per_s']:.2f}  "
                f"CPU/turno ×{cpu / base_cpu:.2f}  RSS/proceso Rasa ×{figures['rss_mb'] / base['rss_mb']:.2f}"
            )


if __name__ == "__main__":
    main()
