"""Two Rasa replicas on one PostgreSQL tracker store, the Redis lock store and RabbitMQ: a
customer's lines sent at the same moment to different replicas are all stored, once each,
and every turn waits for the one before it (with Rasa's stock RedisLockStore, bursts of 4
lost 18 of 180 messages here: protheus/rasa_server/lock_store.py); the console's index, fed by the
events the replicas publish, takes each of them once."""

import asyncio
import json
import time
import uuid

import aiohttp
import pytest
from sqlalchemy import create_engine, select, text

from protheus.common.model_pull import model_server_endpoint
from protheus.common.settings import Ports
from protheus.db import prepare
from protheus.db.database import Database
from protheus.supervisor.processes import (
    start_action_server,
    start_balancer,
    start_rasa_server,
    start_web_server,
    wait_until_ready,
)
from protheus.supervisor.serving import Profile, endpoint_entries
from protheus.trainer.registry import ModelRegistry
from tests.database_fixture import _postgres_database
from tests.rabbitmq_fixture import BROKER_URL, delete_queue, rabbitmq_or_skip
from tests.redis_fixture import emptied_or_skip
from tests.server_fixture import served_model

pytestmark = pytest.mark.server
WEB = Ports(rasa=25100, actions=25155, web=25180, host="127.0.0.1")  # nginx on 25100; the web app serves the model
REPLICAS = [Ports(rasa=25105 + i, actions=25155 + i, web=WEB.web, host="127.0.0.1") for i in range(2)]


@pytest.fixture(scope="module")
def replicas(tmp_path_factory):
    import os

    admin, name, url = _postgres_database()
    lock_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    emptied_or_skip(lock_url)
    rabbitmq_or_skip()
    queue = f"prueba_replicas_{uuid.uuid4().hex[:8]}"
    db = Database(url)
    prepare(db)
    model = served_model()
    ModelRegistry(db).register(model.name, "pruebas", "pruebas", {}, {})
    ModelRegistry(db).activate(model.name, "pruebas")
    env = {
        "DATABASE_URL": url,
        "RASA_TOKEN": uuid.uuid4().hex,
        "MODEL_PULL_SECONDS": "2",
        "EVENT_BROKER_URL": BROKER_URL,
        "EVENT_QUEUE": queue,
        "TRUSTED_PROXIES": "127.0.0.1",  # as make run: the replicas believe nginx's X-Real-IP
    }
    extra = {
        **endpoint_entries(Profile(2, url, lock_url, BROKER_URL, queue)),
        "models": model_server_endpoint(WEB.web, env["RASA_TOKEN"], 2),
    }
    status = tmp_path_factory.mktemp("replicas") / "estado.json"
    services = [start_web_server(WEB, env)]
    try:
        wait_until_ready(services, timeout=60)
        services += [start_action_server(r, env) for r in REPLICAS]
        services += [start_rasa_server(model, env["RASA_TOKEN"], r, env, extra, status) for r in REPLICAS]
        services.append(start_balancer(WEB, REPLICAS))
        wait_until_ready(services, timeout=240)
        yield url, db, env["RASA_TOKEN"], services
    finally:
        for service in reversed(services):
            service.stop()
        asyncio.run(delete_queue(queue))
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _indexed_turns(db: Database, senders: list[str], expected: int, wait: float = 20.0) -> dict[str, int]:
    """Each conversation's turns in the console's index, once the event feed has taken them all."""
    from protheus.db.models import Conversation

    deadline = time.monotonic() + wait
    while True:
        with db.session() as session:
            found = dict(
                session.execute(
                    select(Conversation.sender_id, Conversation.turns).where(Conversation.sender_id.in_(senders))
                ).all()
            )
        if all(found.get(s) == expected for s in senders) or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


async def _send(session, port: int, sender: str, line: str) -> int:
    async with session.post(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook", json={"sender": sender, "message": line}
    ) as response:
        await response.read()
        return response.status


async def _conversation(session, sender: str, burst: int, lines: int) -> list[str]:
    sent = []
    for start in range(0, lines, burst):
        group = [f"consulta {start + n} de {sender}" for n in range(burst)]
        sent.append(group)
        statuses = await asyncio.gather(
            *(_send(session, REPLICAS[n % 2].rasa, sender, line) for n, line in enumerate(group))
        )
        assert statuses == [200] * burst
    return sent


@pytest.mark.parametrize("burst", [2, 4])
def test_bursts_across_replicas_lose_nothing_and_keep_turns_whole(replicas, burst):
    url, db = replicas[0], replicas[1]
    conversations, lines = 25, 8

    async def run() -> dict[str, list[list[str]]]:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
            senders = [f"rafaga-{burst}-{uuid.uuid4().hex[:8]}" for _ in range(conversations)]
            groups = await asyncio.gather(*(_conversation(session, s, burst, lines) for s in senders))
            return dict(zip(senders, groups, strict=True))

    sent = asyncio.run(run())
    engine = create_engine(url)
    with engine.connect() as connection:
        for sender, groups in sent.items():
            rows = connection.execute(
                text("SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
            ).all()
            users = [json.loads(data)["text"] for kind, data in rows if kind == "user"]
            assert sorted(users) == sorted(line for group in groups for line in group), sender  # once each
            # Every burst stored before the next one was sent; within a burst, any order.
            position = 0
            for group in groups:
                assert sorted(users[position : position + burst]) == sorted(group), sender
                position += burst
            # A turn is whole: each user message is followed by its bot's action_listen before the next.
            kinds = [kind for kind, _ in rows]
            for index, kind in enumerate(kinds):
                if kind == "user" and index and "user" in kinds[index + 1 :]:
                    following = kinds[index + 1 : kinds.index("user", index + 1)]
                    assert "action" in following, sender
    engine.dispose()
    # The console's index, fed by the event stream of both replicas, has every turn once.
    assert _indexed_turns(db, list(sent), lines) == dict.fromkeys(sent, lines)


def test_a_model_activated_in_the_registry_reaches_every_replica(replicas):
    import shutil
    import time

    import requests

    from protheus.common.paths import PROJECT

    _, db, token, _ = replicas
    current = served_model()
    renamed = PROJECT.models / f"protheus-replicas-{uuid.uuid4().hex[:8]}.tar.gz"
    shutil.copy(current, renamed)  # another model, as far as the registry and the replicas know
    registry = ModelRegistry(db)
    try:
        registry.register(renamed.name, "pruebas", "pruebas", {}, {})
        registry.activate(renamed.name, "tere", confirm=True)
        deadline = time.monotonic() + 60
        while True:
            served = [
                requests.get(f"http://127.0.0.1:{r.rasa}/status", params={"token": token}, timeout=10).json()[
                    "model_file"
                ]
                for r in REPLICAS
            ]
            if all(path.endswith(renamed.name) for path in served):
                break
            assert time.monotonic() < deadline, served
            time.sleep(1)
        registry.rollback("tere")  # and back, everywhere
    finally:
        renamed.unlink(missing_ok=True)


def test_a_replica_killed_under_load_leaves_no_customer_without_a_reply(replicas):
    """Through nginx: one replica dies in the middle; its conversations go on in the other."""
    url, _, _, services = replicas
    first = next(s for s in services if s.name == "rasa")
    lines = ["hola", "¿qué es el soporte prime?", "¿en qué horario atienden?", "gracias"]

    async def conversation(session, sender: str, replies: dict) -> None:
        for line in lines:
            async with session.post(
                f"http://127.0.0.1:{WEB.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": line}
            ) as response:
                body = await response.json()
                replies.setdefault(sender, []).append((response.status, bool(body)))
            await asyncio.sleep(0.2)

    async def run() -> dict:
        replies: dict = {}
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
            senders = [f"caida-replica-{uuid.uuid4().hex[:8]}" for _ in range(20)]
            load = asyncio.gather(*(conversation(session, s, replies) for s in senders))
            await asyncio.sleep(0.5)
            first.process.kill()  # the replica dies with turns in flight
            await load
        return replies

    replies = asyncio.run(run())
    assert all(answer == [(200, True)] * len(lines) for answer in replies.values()), replies
    engine = create_engine(url)
    with engine.connect() as connection:
        for sender in replies:
            stored = connection.execute(
                text("SELECT count(*) FROM events WHERE sender_id = :s AND type_name = 'user'"), {"s": sender}
            ).scalar()
            assert stored == len(lines), sender
    engine.dispose()
