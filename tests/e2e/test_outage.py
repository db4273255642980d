"""PostgreSQL stops in the middle of a form and comes back, on the replica profile: two Rasa
replicas and two action servers behind nginx, on PostgreSQL (through a proxy the test cuts,
so the server the rest of the suite uses keeps running), the Redis they share and no broker.
Each customer's lines alternate between the replicas. The form goes on where it stands, the
customer is told what could not be registered yet and with which number, and afterwards every
customer message is in the database once, in order, and every hand-off is registered; the
tracker store's status says so throughout (issue 25)."""

import json
import os
import time
import uuid
from itertools import count

import pytest
import requests
from sqlalchemy import create_engine, text

from protheus.common.settings import Ports
from protheus.common.store_status import read_status
from protheus.db import prepare
from protheus.db.customers import CustomerStore
from protheus.db.database import Database
from protheus.supervisor.processes import start_action_server, start_balancer, start_rasa_server, wait_until_ready
from protheus.supervisor.serving import Profile, endpoint_entries
from tests.database_fixture import _postgres_database
from tests.redis_fixture import emptied_or_skip
from tests.server_fixture import served_model
from tests.tcp_proxy import Proxy

pytestmark = pytest.mark.server
PUBLIC = Ports(rasa=25200, actions=25250, web=25280, host="127.0.0.1")  # nginx
REPLICAS = [Ports(rasa=25205 + i, actions=25255 + i, web=25280, host="127.0.0.1") for i in range(2)]
PROXY_PORT, REDIS_PROXY_PORT = 25432, 26379
REDIS_URL = os.environ.get("TEST_OUTAGE_REDIS_URL", "redis://127.0.0.1:6379/14")
REDIS_PORT, REDIS_DB = int(REDIS_URL.rsplit(":", 1)[1].split("/")[0]), REDIS_URL.rsplit("/", 1)[1]
LOCK_URL = f"redis://127.0.0.1:{REDIS_PROXY_PORT}/{REDIS_DB}"  # the replicas reach Redis through a proxy too
VERIFIED = {"codigo_cliente": "STD01", "verificacion_cliente": "facilitador.std@example.com"}


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    emptied_or_skip(REDIS_URL)
    admin, name, url = _postgres_database()
    proxy, redis_proxy = Proxy(PROXY_PORT, 5432), Proxy(REDIS_PROXY_PORT, REDIS_PORT)
    proxy.up()
    redis_proxy.up()
    proxied = url.replace("127.0.0.1:5432", f"127.0.0.1:{PROXY_PORT}")
    db = Database(proxied)
    prepare(db)
    CustomerStore(db).seed_demo_customers()  # this test's customers (the profile loads none by itself)
    db.engine.dispose()
    status = tmp_path_factory.mktemp("caida") / "estado.json"  # one file, as make run's replicas share
    env = {
        "DATABASE_URL": proxied,
        "RASA_TOKEN": uuid.uuid4().hex,
        "LOCK_STORE_URL": LOCK_URL,
        "TRUSTED_PROXIES": "127.0.0.1",
    }
    extra = endpoint_entries(Profile(2, proxied, LOCK_URL, ""))
    services = [start_action_server(r, env) for r in REPLICAS]
    services += [start_rasa_server(served_model(), env["RASA_TOKEN"], r, env, extra, status) for r in REPLICAS]
    services.append(start_balancer(PUBLIC, REPLICAS))
    try:
        wait_until_ready(services, timeout=240)
        yield proxy, url, status, env["RASA_TOKEN"], redis_proxy
    finally:
        for service in reversed(services):
            service.stop()
        proxy.down()
        redis_proxy.down()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class Customer:
    """One customer whose lines go to replica 0, 1, 0, 1… (or through nginx)."""

    def __init__(self, token: str, through_nginx: bool = False) -> None:
        self.sender, self.token, self.through_nginx = f"caida-{uuid.uuid4().hex[:8]}", token, through_nginx
        self.sent: list[str] = []
        self._turn = count()

    def _port(self) -> int:
        return PUBLIC.rasa if self.through_nginx else REPLICAS[next(self._turn) % 2].rasa

    def say(self, line: str) -> str:
        response = requests.post(
            f"http://127.0.0.1:{self._port()}/webhooks/rest/webhook",
            json={"sender": self.sender, "message": line},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        self.sent.append(line)
        return " ".join(r.get("text") or "" for r in response.json())

    def requested(self) -> str | None:
        response = requests.get(
            f"http://127.0.0.1:{self._port()}/conversations/{self.sender}/tracker",
            params={"token": self.token},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()["slots"].get("requested_slot")

    def answer_until(self, answers: dict[str, str], stop: str | None = None) -> str:
        """Answer what the bot asks (whichever replica asks) until it asks `stop` or stops asking."""
        reply = ""
        for _ in range(10):
            requested = self.requested()
            if requested is None or requested == stop:
                return reply
            reply = self.say(answers[requested])
        pytest.fail(f"el formulario no terminó: {reply}")


def stored_lines(url: str, sender: str) -> list[str]:
    engine = create_engine(url, future=True)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"), {"s": sender}
        )
        lines = [json.loads(data)["text"] for (data,) in rows]
    engine.dispose()
    return lines


def handoff_ids(url: str, sender: str) -> list[str]:
    engine = create_engine(url, future=True)
    with engine.connect() as connection:
        found = [i for (i,) in connection.execute(text("SELECT id FROM handoffs WHERE sender_id = :s"), {"s": sender})]
    engine.dispose()
    return found


def wait_for(check, what: str, seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds  # the outbox and the held conversations are retried every 5–10 s
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(1)


def test_the_issue_s_consulting_terms_across_replicas(deployment):
    """The issue's scenario, its six lines: the acceptance and everything after it reach the
    other replica while PostgreSQL is stopped. Before: «Perfecto. ¿En qué más puedo ayudarle?»,
    2 of 6 messages stored, nothing registered."""
    proxy, url, status, token, _ = deployment
    customer = Customer(token)
    assert "Acepta estas condiciones" in customer.say(
        "necesito que capaciten a mis usuarios nuevos en el módulo de compras"
    )
    proxy.down()
    try:
        reply = customer.say("sí, acepto las condiciones")
        assert "No pude registrar su solicitud en este momento" in reply, reply
        kept = reply.split("con el número ")[1].split()[0].strip(".,")
        for line in ("STD01", "facilitador.std@example.com", "¿en qué horario atienden?"):
            assert "Acepta estas condiciones" not in customer.say(line)  # the terms are not asked again
        assert customer.sent[-1] == "¿en qué horario atienden?"
        customer.say("gracias")
        during = read_status(status)
        assert during["estado"] == "fallo" and during["retenidas"] >= 1 and during["turnos_retenidos"] == 5
    finally:
        proxy.up()

    wait_for(lambda: stored_lines(url, customer.sender) == customer.sent, "las líneas retenidas no se escribieron")
    assert len(customer.sent) == 6
    wait_for(lambda: handoff_ids(url, customer.sender) == [kept], "la derivación retenida no se escribió")
    wait_for(lambda: read_status(status)["retenidas"] == 0, "el estado sigue contando retenidas")
    after = read_status(status)
    assert after["estado"] == "ok" and after["turnos_retenidos"] == 0 and after["turnos_escritos"] >= 5


@pytest.mark.parametrize(
    "first, answers, through_nginx",
    [
        (
            "al grabar el pedido de venta en el MATA410 me sale un error.log",
            {
                "reproduce_en_estandar": "sí",
                "solo_registros_especificos": "no",
                "modulo": "facturación",
                "descripcion_error": "al grabar el pedido aparece error.log variable does not exist",
                **VERIFIED,
            },
            False,
        ),
        ("es urgente, tenemos la facturación parada", {"acepta_terminos_consultoria": "sí, acepto", **VERIFIED}, True),
    ],
    ids=["reporte_de_error", "urgente"],
)
def test_an_outage_in_the_middle_of_a_form_loses_nothing(deployment, first, answers, through_nginx):
    """PostgreSQL stops after the form's first question and is back before its last answer:
    the hand-off is registered as usual and the held turns reach the database in order."""
    proxy, url, status, token, _ = deployment
    customer = Customer(token, through_nginx)
    customer.say(first)
    last = list(answers)[-1]
    proxy.down()
    try:
        customer.answer_until(answers, stop=last)
        assert read_status(status)["estado"] == "fallo"
    finally:
        proxy.up()
    reply = customer.answer_until(answers)
    assert len(handoff_ids(url, customer.sender)) == 1, reply
    assert stored_lines(url, customer.sender) == customer.sent


def test_with_redis_stopped_each_line_is_refused_in_spanish_and_nothing_is_lost(deployment):
    """Without the lock store no replica processes a line unlocked: the customer is asked to send
    it again; with Redis back the conversation goes on and every processed line is stored once."""
    _, url, status, token, redis_proxy = deployment
    customer = Customer(token)
    assert "Acepta estas condiciones" in customer.say("quiero contratar una consultoría remota para mi ambiente")
    redis_proxy.down()
    try:
        for _ in range(2):  # both replicas
            response = requests.post(
                f"http://127.0.0.1:{customer._port()}/webhooks/rest/webhook",
                json={"sender": customer.sender, "message": "sí, acepto"},
                timeout=30,
            )
            said = " ".join(r.get("text") or "" for r in response.json())
            assert response.status_code == 200 and "No pude procesar su último mensaje" in said, said
    finally:
        redis_proxy.up()
    assert "Acepta estas condiciones" not in customer.say("sí, acepto")  # the form goes on from where it stood
    assert stored_lines(url, customer.sender) == customer.sent
    assert read_status(status)["estado"] == "ok"
