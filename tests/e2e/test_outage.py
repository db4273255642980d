"""PostgreSQL stops in the middle of a conversation and comes back: the form goes on, the
customer is told what could not be registered yet, and afterwards every turn and the
hand-off are in the database, in order. (The database is reached through a proxy the test
cuts, so the server the rest of the suite uses keeps running.)"""

import json
import time
import uuid

import pytest
import requests
from sqlalchemy import create_engine, text

from protheus.common.settings import Ports
from protheus.common.store_status import read_status
from protheus.db import prepare
from protheus.db.database import Database
from protheus.supervisor.processes import start_action_server, start_rasa_server, wait_until_ready
from tests.database_fixture import _postgres_database
from tests.server_fixture import served_model
from tests.tcp_proxy import Proxy

pytestmark = pytest.mark.server
PORTS = Ports(rasa=25205, actions=25255, web=25280, host="127.0.0.1")
PROXY_PORT = 25432


@pytest.fixture(scope="module")
def behind_a_proxy(tmp_path_factory):
    admin, name, url = _postgres_database()
    proxy = Proxy(PROXY_PORT, 5432)
    proxy.up()
    proxied = url.replace("127.0.0.1:5432", f"127.0.0.1:{PROXY_PORT}")
    prepare(Database(proxied))
    status = tmp_path_factory.mktemp("caida") / "estado.json"
    env = {"DATABASE_URL": proxied, "RASA_TOKEN": uuid.uuid4().hex}
    services = [
        start_action_server(PORTS, env),
        start_rasa_server(served_model(), env["RASA_TOKEN"], PORTS, env, status_file=status),
    ]
    try:
        wait_until_ready(services, timeout=180)
        yield proxy, url, status
    finally:
        for service in reversed(services):
            service.stop()
        proxy.down()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def say(sender: str, line: str) -> str:
    response = requests.post(
        f"http://127.0.0.1:{PORTS.rasa}/webhooks/rest/webhook", json={"sender": sender, "message": line}, timeout=60
    )
    assert response.status_code == 200
    return " ".join(r.get("text") or "" for r in response.json())


def test_a_database_outage_in_the_middle_of_a_form(behind_a_proxy):
    proxy, url, status = behind_a_proxy
    sender = f"caida-{uuid.uuid4().hex[:8]}"
    assert "Acepta estas condiciones" in say(sender, "necesito que capaciten a mis usuarios en compras")

    proxy.down()
    try:
        reply = say(sender, "sí, acepto")
        assert "No pude registrar su solicitud en este momento" in reply and "Perfecto" not in reply
        kept = reply.split("con el número ")[1].split()[0]
        assert read_status(status)["estado"] == "fallo" and read_status(status)["retenidas"] >= 1
        assert "Lunes a viernes 8am-6pm" in say(sender, "¿en qué horario atienden?")  # the chat goes on
    finally:
        proxy.up()

    say(sender, "gracias")  # the next write sends what was held first
    engine = create_engine(url, future=True)
    deadline = time.monotonic() + 40  # the action server retries its kept hand-offs every 10 s
    with engine.connect() as connection:
        users = [
            json.loads(d)["text"]
            for (d,) in connection.execute(
                text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"), {"s": sender}
            )
        ]
        assert users == [
            "necesito que capaciten a mis usuarios en compras",
            "sí, acepto",
            "¿en qué horario atienden?",
            "gracias",
        ]
        while connection.execute(text("SELECT count(*) FROM handoffs WHERE id = :i"), {"i": kept}).scalar() == 0:
            assert time.monotonic() < deadline, "la derivación retenida no se escribió"
            time.sleep(1)
            connection.commit()
    engine.dispose()
    after = read_status(status)
    assert after["estado"] == "ok" and after["retenidas"] == 0 and after["escritas"] >= 1
