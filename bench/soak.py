"""A soak of the replica profile through faults (issue 25), loopback only, bounded.

Two Rasa replicas and two action servers behind nginx, on PostgreSQL (reached through a proxy
this script cuts), Redis and RabbitMQ. Concurrent conversations send the same message mix as
bench/serving.py, through nginx, until TURNS turns are answered. Meanwhile:
- at a quarter of the turns one replica is killed (SIGKILL) and started again;
- at half of them PostgreSQL stops answering for OUTAGE seconds, then comes back.
A line the bot refuses (it asks to send it again) is sent again after a second, as a customer
would. At the end, once the held conversations are written, it prints: errors (other than
the announced outage replies), user messages lost, repeated or out of order in the database,
turns held and written back, hand-offs kept and written, and the slowest reply.
Usage: python bench/soak.py [--turnos 10000] [--conversaciones 20] [--caida 30]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import aiohttp
from sqlalchemy import create_engine, text

from protheus.common.settings import Ports
from protheus.common.store_status import read_status
from protheus.db import prepare
from protheus.db.customers import CustomerStore
from protheus.db.database import Database
from protheus.supervisor.processes import (
    Service,
    start_action_server,
    start_balancer,
    start_rasa_server,
    wait_until_ready,
)
from protheus.supervisor.serving import Profile, endpoint_entries
from protheus.trainer.lifecycle import ModelLifecycle

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from bench.serving import BROKER, MIX, PG_ADMIN, _database, drop_queue  # noqa: E402

PUBLIC = Ports(rasa=28005, actions=28055, web=28080, host="127.0.0.1")
REPLICAS = [Ports(rasa=28010 + i, actions=28060 + i, web=28080, host="127.0.0.1") for i in range(2)]
PROXY_PORT = 28432
REDIS = "redis://127.0.0.1:6379/13"
ANNOUNCED = ("No pude registrar su solicitud en este momento",)  # the outage's own replies
REFUSED = "No pude procesar su último mensaje"  # asked to send it again
SLOW = 2.0  # seconds: replies slower than this are listed with when they were sent (the goal is 5)


class ProxyProcess:
    """tests/tcp_proxy.Proxy in a process of its own: in this one it would share the interpreter
    with the client and slow every database round trip (measured: 30 against 70 turns/s).
    SIGUSR1 cuts it, SIGUSR2 restores it."""

    SCRIPT = (
        "import signal, sys, threading\n"
        "from tests.tcp_proxy import Proxy\n"
        "proxy = Proxy(int(sys.argv[1]), int(sys.argv[2]))\n"
        "proxy.up()\n"
        "signal.signal(signal.SIGUSR1, lambda *_: proxy.down())\n"
        "signal.signal(signal.SIGUSR2, lambda *_: proxy.up())\n"
        "print('listo', flush=True)\n"
        "threading.Event().wait()\n"
    )

    def __init__(self, listen_port: int, target_port: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", self.SCRIPT, str(listen_port), str(target_port)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        if self.process.stdout.readline().strip() != "listo":
            self.process.wait()
            raise SystemExit(
                f"No se pudo abrir el proxy de PostgreSQL en el puerto {listen_port}: ¿otra corrida de "
                "bench/soak.py sigue en marcha? (el error, arriba)"
            )

    def down(self) -> None:
        self.process.send_signal(signal.SIGUSR1)
        time.sleep(0.2)

    def up(self) -> None:
        self.process.send_signal(signal.SIGUSR2)
        time.sleep(0.2)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


class Run:
    def __init__(self, turns: int) -> None:
        self.target = turns
        self.answered = 0
        self.latencies: list[float] = []
        self.started = time.monotonic()
        self.slow: list[tuple[float, float, str]] = []  # (when sent, seconds, line) of replies over SLOW
        self.errors: Counter[str] = Counter()
        self.announced = 0
        self.refused = 0
        self.sent: dict[str, list[str]] = {}


async def _say(session: aiohttp.ClientSession, run: Run, sender: str, line: str) -> None:
    for _ in range(5):
        started = time.perf_counter()
        try:
            async with session.post(
                f"http://127.0.0.1:{PUBLIC.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": line}
            ) as response:
                body = await response.json(content_type=None)
                status = response.status
        except Exception as error:  # noqa: BLE001 - counted, not raised
            run.errors[type(error).__name__] += 1
            return
        finally:
            took = time.perf_counter() - started
            run.latencies.append(took)
            if took > SLOW:
                run.slow.append((time.monotonic() - run.started - took, took, line))
        said = " ".join(r.get("text") or "" for r in body or [])
        if status != 200 or not body:
            run.errors[f"HTTP {status}"] += 1
            return
        if REFUSED in said:
            run.refused += 1
            await asyncio.sleep(1)  # as a customer would: the same line again
            continue
        run.answered += 1
        run.announced += any(text in said for text in ANNOUNCED)
        run.sent[sender].append(line)
        return
    run.errors["rechazada 5 veces"] += 1


async def _customer(session: aiohttp.ClientSession, run: Run) -> None:
    while run.answered < run.target:
        sender = f"soak-{uuid.uuid4().hex[:10]}"
        run.sent[sender] = []
        for line in MIX:
            await _say(session, run, sender, line)


async def _faults(run: Run, proxy: ProxyProcess, restart, outage: float, log: list[str]) -> None:
    if restart is None:
        return
    started = run.started
    while run.answered < run.target // 4:
        await asyncio.sleep(0.2)
    log.append(f"{time.monotonic() - started:6.1f} s  réplica 1 terminada (SIGKILL) con {run.answered} turnos")
    await asyncio.to_thread(restart)
    log.append(f"{time.monotonic() - started:6.1f} s  réplica 1 de nuevo en servicio")
    while run.answered < run.target // 2:
        await asyncio.sleep(0.2)
    proxy.down()
    log.append(f"{time.monotonic() - started:6.1f} s  PostgreSQL detenido ({outage:.0f} s)")
    await asyncio.sleep(outage)
    proxy.up()
    log.append(f"{time.monotonic() - started:6.1f} s  PostgreSQL de nuevo")


async def _drive(run: Run, conversations: int, proxy: ProxyProcess, restart, outage: float, log: list[str]) -> float:
    started = time.perf_counter()
    run.started = time.monotonic()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        await asyncio.gather(
            _faults(run, proxy, restart, outage, log), *(_customer(session, run) for _ in range(conversations))
        )
    return time.perf_counter() - started


def _stored(url: str, senders: list[str]) -> dict[str, list[str]]:
    engine = create_engine(url, future=True)
    found: dict[str, list[str]] = {s: [] for s in senders}
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT sender_id, data FROM events WHERE type_name = 'user' AND sender_id LIKE 'soak-%' ORDER BY id")
        )
        for sender, data in rows:
            found.setdefault(sender, []).append(json.loads(data)["text"])
    engine.dispose()
    return found


def _compare(sent: dict[str, list[str]], stored: dict[str, list[str]]) -> tuple[int, int, int]:
    """(messages lost, messages repeated, conversations out of order)."""
    lost = repeated = reordered = 0
    for sender, lines in sent.items():
        kept = stored.get(sender, [])
        lost += max(0, len(lines) - len(kept))
        repeated += max(0, len(kept) - len(lines))
        reordered += len(kept) == len(lines) and kept != lines
    return lost, repeated, reordered


def _handoffs(url: str) -> int:
    engine = create_engine(url, future=True)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM handoffs WHERE sender_id LIKE 'soak-%'")).scalar()
    engine.dispose()
    return int(count or 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--turnos", type=int, default=10_000)
    parser.add_argument("--conversaciones", type=int, default=20)
    parser.add_argument("--caida", type=float, default=30.0, help="segundos sin PostgreSQL")
    parser.add_argument("--sin-fallos", action="store_true", help="la misma carga sin fallos (referencia)")
    args = parser.parse_args()

    import redis

    redis.from_url(REDIS).flushdb()
    name, url = _database("protheus_soak")
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT", future=True)
    proxy = ProxyProcess(PROXY_PORT, 5432)
    proxied = url.replace("127.0.0.1:5432", f"127.0.0.1:{PROXY_PORT}")
    db = Database(proxied)
    prepare(db)
    CustomerStore(db).seed_demo_customers()  # the mix verifies STD01
    db.engine.dispose()
    model = ModelLifecycle(Database()).active_model()
    if model is None:
        raise SystemExit("No hay modelo activo: ejecute `make train`.")
    queue = f"soak_{uuid.uuid4().hex[:8]}"
    env = {
        "DATABASE_URL": proxied,
        "RASA_TOKEN": uuid.uuid4().hex,
        "LOCK_STORE_URL": REDIS,
        "EVENT_BROKER_URL": BROKER,
        "EVENT_QUEUE": queue,
        "TRUSTED_PROXIES": "127.0.0.1",  # nginx passes the client's loopback address: no address limit
    }
    extra = endpoint_entries(Profile(2, proxied, REDIS, BROKER, queue))
    log: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        status = Path(tmp) / "estado.json"
        services: list[Service] = [start_action_server(r, env) for r in REPLICAS]
        rasa = [start_rasa_server(model, env["RASA_TOKEN"], r, env, extra, status) for r in REPLICAS]
        services += [*rasa, start_balancer(PUBLIC, REPLICAS)]

        def restart() -> None:
            rasa[1].process.kill()
            rasa[1].process.wait()
            rasa[1] = start_rasa_server(model, env["RASA_TOKEN"], REPLICAS[1], env, extra, status)
            services.append(rasa[1])
            wait_until_ready([rasa[1]], timeout=240)

        try:
            wait_until_ready(services, timeout=240)
            run = Run(args.turnos)
            faults = None if args.sin_fallos else restart
            wall = asyncio.run(_drive(run, args.conversaciones, proxy, faults, args.caida, log))
            deadline = time.monotonic() + 90  # held conversations and hand-offs are retried every 5–10 s
            while (read_status(status) or {}).get("retenidas", 0) and time.monotonic() < deadline:
                time.sleep(1)
            time.sleep(12)  # one more retry round of the action servers' outboxes
            final = read_status(status) or {}
            lost, repeated, reordered = _compare(run.sent, _stored(url, list(run.sent)))
            handoffs = _handoffs(url)
        finally:
            for service in reversed(services):
                service.stop()
            proxy.stop()
            drop_queue(queue)
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    for line in log:
        print(line)
    latencies = sorted(run.latencies)
    print(
        f"\n{run.answered} turnos respondidos en {wall:.0f} s ({run.answered / wall:.1f}/s), "
        f"{len(run.sent)} conversaciones, {args.conversaciones} a la vez"
    )
    print(f"errores: {sum(run.errors.values())} {dict(run.errors) or ''}")
    print(f"respuestas de la caída anunciadas: {run.announced}; líneas rechazadas y reenviadas: {run.refused}")
    print(f"mensajes del cliente perdidos: {lost}; repetidos: {repeated}; conversaciones fuera de orden: {reordered}")
    print(
        f"turnos retenidos y escritos después: {final.get('turnos_escritos', 0)} "
        f"(conversaciones: {final.get('escritas', 0)}); aún retenidas: {final.get('retenidas', 0)}"
    )
    print(f"derivaciones registradas: {handoffs}")
    print(
        f"respuesta más lenta: {latencies[-1]:.2f} s; p50 {statistics.median(latencies) * 1000:.0f} ms; "
        f"p99 {latencies[int(0.99 * (len(latencies) - 1))] * 1000:.0f} ms; más de 5 s: "
        f"{sum(latency > 5 for latency in latencies)}"
    )
    slowest = sorted(run.slow, key=lambda slow: -slow[1])[:10]
    print(f"más de {SLOW:.0f} s: {len(run.slow)}; las más lentas, con cuándo se enviaron:")
    for when, took, line in slowest:
        print(f"  enviada a los {when:6.1f} s: {took:.2f} s  «{line}»")


if __name__ == "__main__":
    main()
