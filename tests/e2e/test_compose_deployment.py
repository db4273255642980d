"""The compose deployment, run as written (issue 23): every service of deploy/docker-compose.yml
started with the command and environment the file declares, each in its own network namespace
with the file's address plan (172.28.0.0/24, nginx at 172.28.0.10), names resolved as compose's
DNS would. PostgreSQL, Redis and RabbitMQ are this machine's, reached through the bridge at
172.28.0.1; customers are two more addresses on it. Nothing leaves the machine.

Checked through nginx, from a customer's address: a full error triage; two customers' limits
counted apart; the console reaching Rasa; a model activated in the console served by both
replicas; a signed chat session's conversation refused over REST without its token; the action
server refusing a call without the secret. Needs root and `ip netns` (CI runs as root); skipped
with the reason elsewhere.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import yaml
from requests.adapters import HTTPAdapter

from protheus.common.paths import PROJECT
from tests.tcp_proxy import Proxy

pytestmark = pytest.mark.server

SUBNET_PREFIX = "172.28.0"
BRIDGE, HOST = "br-pdespl", f"{SUBNET_PREFIX}.1"
CUSTOMER_A, CUSTOMER_B = f"{SUBNET_PREFIX}.50", f"{SUBNET_PREFIX}.51"
# Each service instance: its namespace and address (nginx's is the one compose fixes).
ADDRESSES = {
    "prepare": f"{SUBNET_PREFIX}.60",
    "actions-1": f"{SUBNET_PREFIX}.31",
    "actions-2": f"{SUBNET_PREFIX}.32",
    "web": f"{SUBNET_PREFIX}.40",
    "rasa-1": f"{SUBNET_PREFIX}.21",
    "rasa-2": f"{SUBNET_PREFIX}.22",
    "nginx": f"{SUBNET_PREFIX}.10",
}
ENV_FILE = {  # deploy/.env of this deployment
    "POSTGRES_PASSWORD": "clave-de-prueba",
    "RABBITMQ_PASSWORD": "clave-de-prueba",
    "RASA_TOKEN": secrets.token_urlsafe(24),
    "CHAT_SESSION_KEY": secrets.token_urlsafe(32),
    "ACTION_SECRET": secrets.token_urlsafe(24),
    "PUBLIC_URL": f"http://{ADDRESSES['web']}:8080",
    "RASA_PUBLIC_URL": f"http://{ADDRESSES['nginx']}:5005",
}
ANSWERS = {
    "modulo": "facturación",
    "descripcion_error": "al grabar el pedido aparece error.log variable does not exist",
    "codigo_cliente": "CL0042",
    "verificacion_cliente": "ana.rojas@pacifico.example",
    "reproduce_en_estandar": "sí",
    "solo_registros_especificos": "no",
}


def _missing() -> str | None:
    if os.geteuid() != 0:
        return "la prueba del despliegue crea espacios de red: necesita root (CI corre como root)"
    if shutil.which("ip") is None or subprocess.run(["ip", "netns", "list"], capture_output=True).returncode != 0:
        return "falta `ip netns` (iproute2)"
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        return "falta nginx (make run lo instala)"
    return None


def _ip(*arguments: str) -> None:
    subprocess.run(["ip", *arguments], check=True, capture_output=True)


def _interpolate(value: str, env: dict[str, str]) -> str:
    """compose's ${VAR}, ${VAR:-default} and ${VAR:?message}, from deploy/.env."""

    def one(match: re.Match) -> str:
        name, operator, rest = match.group(1), match.group(2), match.group(3) or ""
        if name in env and env[name]:
            return env[name]
        if operator == ":-":
            return rest
        raise AssertionError(f"deploy/.env no define {name}")

    return re.sub(r"\$\{(\w+)(?:(:-|:\?)([^}]*))?\}", one, value)


@dataclass
class Deployment:
    root: Path
    compose: dict
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    proxies: list[Proxy] = field(default_factory=list)

    def service(self, name: str) -> dict:
        return self.compose["services"][name]

    def database(self):
        """The deployment's database, as the test reaches it (the proxy's target)."""
        from protheus.db.database import Database

        url = _interpolate(self.service("web")["environment"]["DATABASE_URL"], ENV_FILE)
        return Database(url.replace("@postgres:", "@127.0.0.1:"))

    def environment(self, service: str) -> dict[str, str]:
        declared = {k: _interpolate(str(v), ENV_FILE) for k, v in self.service(service)["environment"].items()}
        # Paths of the image (/app) are the checkout's; the image's own ENV (deploy/Dockerfile).
        declared = {k: v.replace("/app/", f"{self.root}/") for k, v in declared.items()}
        image_env = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONDONTWRITEBYTECODE": "1"}
        path = f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"
        return {"PATH": path, "HOME": os.environ.get("HOME", "/root"), **image_env, **declared}

    def start(self, instance: str, service: str, logs: Path) -> subprocess.Popen:
        command = [_interpolate(part, ENV_FILE) for part in self.service(service)["command"]]
        log = open(logs / f"{instance}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            ["ip", "netns", "exec", f"pd-{instance}", *command],
            cwd=self.root,
            env=self.environment(service),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[instance] = process
        return process

    def stop(self) -> None:
        for process in self.processes.values():
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def _network(compose: dict) -> None:
    nginx = compose["services"]["nginx"]["networks"]["default"]["ipv4_address"]
    assert nginx == ADDRESSES["nginx"] and compose["networks"]["default"]["ipam"]["config"][0]["subnet"] == (
        f"{SUBNET_PREFIX}.0/24"
    )
    _teardown_network()
    _ip("link", "add", BRIDGE, "type", "bridge")
    for address in (HOST, CUSTOMER_A, CUSTOMER_B):
        _ip("addr", "add", f"{address}/24", "dev", BRIDGE)
    _ip("link", "set", BRIDGE, "up")
    for instance, address in ADDRESSES.items():
        namespace, veth = f"pd-{instance}", f"pdv-{instance}"[:15]
        _ip("netns", "add", namespace)
        _ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", namespace)
        _ip("link", "set", veth, "master", BRIDGE, "up")
        _ip("-n", namespace, "addr", "add", f"{address}/24", "dev", "eth0")
        _ip("-n", namespace, "link", "set", "eth0", "up")
        _ip("-n", namespace, "link", "set", "lo", "up")
        _hosts(namespace, instance)


def _hosts(namespace: str, instance: str) -> None:
    """compose's DNS, as /etc/hosts of the namespace (`ip netns exec` mounts /etc/netns/NS/hosts):
    the services by name, both replicas of `rasa` for nginx, each Rasa replica its action server."""
    actions = ADDRESSES["actions-2"] if instance == "rasa-2" else ADDRESSES["actions-1"]
    lines = [
        "127.0.0.1 localhost",
        f"{HOST} postgres redis rabbitmq",
        f"{ADDRESSES['nginx']} nginx",
        f"{ADDRESSES['rasa-1']} rasa",
        f"{ADDRESSES['rasa-2']} rasa",
        f"{actions} actions",
        f"{ADDRESSES['web']} web",
    ]
    folder = Path("/etc/netns") / namespace
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hosts").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _teardown_network() -> None:
    """Everything the test made, also what an interrupted run left: processes still in a
    namespace, the namespaces, the host ends of the pairs, the bridge."""
    for instance in ADDRESSES:
        namespace = f"pd-{instance}"
        pids = subprocess.run(["ip", "netns", "pids", namespace], capture_output=True, text=True).stdout.split()
        for pid in pids:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass
        subprocess.run(["ip", "netns", "del", namespace], capture_output=True)
        subprocess.run(["ip", "link", "del", f"pdv-{instance}"[:15]], capture_output=True)
        shutil.rmtree(Path("/etc/netns") / namespace, ignore_errors=True)
    subprocess.run(["ip", "link", "del", BRIDGE], capture_output=True)


def _services_of_this_machine() -> None:
    """The compose file's `protheus` user and database on this machine's PostgreSQL and RabbitMQ."""
    import psycopg2

    connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = 'protheus'")
        if cursor.fetchone() is None:
            cursor.execute("CREATE ROLE protheus LOGIN PASSWORD 'clave-de-prueba'")
        cursor.execute("DROP DATABASE IF EXISTS protheus WITH (FORCE)")
        cursor.execute("CREATE DATABASE protheus OWNER protheus")
    connection.close()
    ctl = shutil.which("rabbitmqctl") or "/usr/sbin/rabbitmqctl"
    password = ENV_FILE["RABBITMQ_PASSWORD"]
    if subprocess.run([ctl, "add_user", "protheus", password], capture_output=True).returncode != 0:
        subprocess.run([ctl, "change_password", "protheus", password], capture_output=True, check=True)
    subprocess.run([ctl, "set_permissions", "-p", "/", "protheus", ".*", ".*", ".*"], capture_output=True, check=True)


def _wait(url: str, process: subprocess.Popen, name: str, logs: Path, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{name} terminó ({process.returncode}):\n{(logs / f'{name}.log').read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    pytest.fail(f"{name} no respondió en {timeout:.0f} s:\n{(logs / f'{name}.log').read_text()[-3000:]}")


CUSTOMERS_CSV = (
    "codigo,nombre,pais,plan,facilitador_nombre,facilitador_email\n"
    "CL0042,Comercial del Pacífico SpA,Chile,estandar,Ana Rojas,ana.rojas@pacifico.example\n"
)


def _import_customers(deployed: Deployment, logs: Path) -> None:
    """What an operator does once (deploy/README.md): load the support line's customer list with
    the prepare service's image and environment. The production profile has no demo customers."""
    csv = logs / "clientes.csv"
    csv.write_text(CUSTOMERS_CSV, encoding="utf-8")
    deployed.service("prepare")["command"] = ["python", "-m", "protheus.db", "importar-clientes", str(csv)]
    if deployed.start("prepare", "prepare", logs).wait(timeout=120) != 0:
        pytest.fail("importar-clientes falló:\n" + (logs / "prepare.log").read_text()[-3000:])


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Iterator[Deployment]:
    reason = _missing()
    if reason:
        pytest.fail(reason) if os.environ.get("CI") else pytest.skip(reason)
    compose = yaml.safe_load((PROJECT.root / "deploy" / "docker-compose.yml").read_text(encoding="utf-8"))
    logs = tmp_path_factory.mktemp("despliegue")
    deployed = Deployment(PROJECT.root, compose)
    try:
        _services_of_this_machine()
        _network(compose)
        for port in (5432, 6379, 5672):
            proxy = Proxy(port, port, listen_host=HOST)
            proxy.up()
            deployed.proxies.append(proxy)
        prepare = deployed.start("prepare", "prepare", logs)
        if prepare.wait(timeout=600) != 0:
            pytest.fail("prepare falló:\n" + (logs / "prepare.log").read_text()[-3000:])
        _import_customers(deployed, logs)
        for instance in ("actions-1", "actions-2", "web", "rasa-1", "rasa-2"):
            deployed.start(instance, instance.split("-")[0], logs)
        for instance, url in (
            ("actions-1", f"http://{ADDRESSES['actions-1']}:5055/health"),
            ("actions-2", f"http://{ADDRESSES['actions-2']}:5055/health"),
            ("web", f"http://{ADDRESSES['web']}:8080/"),
            ("rasa-1", f"http://{ADDRESSES['rasa-1']}:5005/"),
            ("rasa-2", f"http://{ADDRESSES['rasa-2']}:5005/"),
        ):
            _wait(url, deployed.processes[instance], instance, logs)
        nginx = compose["services"]["nginx"]
        config = nginx["volumes"][0].split(":")[0].replace("./", f"{PROJECT.root}/deploy/")
        prefix = logs / "nginx"
        prefix.mkdir()
        nginx["command"] = [
            shutil.which("nginx") or "/usr/sbin/nginx",
            "-c",
            config,
            "-p",
            str(prefix),
            "-g",
            f"daemon off; pid {prefix}/nginx.pid; error_log {prefix}/error.log;",
        ]
        nginx["environment"] = {}
        deployed.start("nginx", "nginx", logs)
        _wait(f"http://{ADDRESSES['nginx']}:5005/", deployed.processes["nginx"], "nginx", logs)
        yield deployed
    finally:
        deployed.stop()
        for proxy in deployed.proxies:
            proxy.down()
        _teardown_network()
        (PROJECT.models / COPY_NAME).unlink(missing_ok=True)


COPY_NAME = "protheus-copia-despliegue.tar.gz"


class _From(HTTPAdapter):
    """Requests sent from one of the customers' addresses."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        return super().init_poolmanager(*args, **kwargs)


def customer(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", _From(address))
    return session


RASA = f"http://{ADDRESSES['nginx']}:5005"
WEB = f"http://{ADDRESSES['web']}:8080"


def chat_session(browser: requests.Session) -> tuple[str, str]:
    """What the page hands a customer: a signed session (and the conversation it names)."""
    from protheus.common import chat_sessions

    config = browser.get(f"{WEB}/config.js", timeout=10).text
    token = re.search(r'"chatToken": "([^"]+)"', config).group(1)
    os.environ["CHAT_SESSION_KEY"] = ENV_FILE["CHAT_SESSION_KEY"]
    try:
        return token, chat_sessions.verify(token).session_id
    finally:
        del os.environ["CHAT_SESSION_KEY"]


def say(browser: requests.Session, token: str, sender: str, text: str) -> list[dict]:
    response = browser.post(
        f"{RASA}/webhooks/rest/webhook",
        json={"sender": sender, "message": text},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()


def tracker(sender: str) -> dict:
    return requests.get(
        f"{RASA}/conversations/{sender}/tracker", params={"token": ENV_FILE["RASA_TOKEN"]}, timeout=10
    ).json()


def test_a_customer_reports_an_error_through_nginx_and_it_is_registered(deployment):
    browser = customer(CUSTOMER_A)
    token, sender = chat_session(browser)
    replies = say(browser, token, sender, "al grabar el pedido de venta en el MATA410 me sale un error.log")
    for _ in range(10):
        requested = tracker(sender)["slots"].get("requested_slot")
        if requested is None:
            break
        replies = say(browser, token, sender, ANSWERS[requested])
    handoffs = [r["custom"]["handoff"] for r in replies if "handoff" in (r.get("custom") or {})]
    assert [h["canal"] for h in handoffs] == ["soporte_estandar"], replies
    from protheus.db.handoffs import HandoffStore

    row = HandoffStore(deployment.database()).get(handoffs[0]["id"])
    assert row.channel == "soporte_estandar" and row.slots["codigo_cliente"] == "CL0042"
    assert row.slots["verificacion_cliente"] == "verificado"


def test_the_production_deployment_has_no_demo_customers(deployment):
    from protheus.db.customers import CustomerStore

    customers = CustomerStore(deployment.database())
    assert customers.get("PRIME01") is None and customers.get("STD01") is None
    assert customers.get("CL0042") is not None


def test_two_customers_limits_are_counted_apart(deployment):
    import redis

    store = redis.Redis.from_url("redis://127.0.0.1:6379/1")
    for key in store.scan_iter(f"protheus:mensajes:d:{SUBNET_PREFIX}.*"):  # an earlier run's, this minute
        store.delete(key)
    for address, lines in ((CUSTOMER_A, 3), (CUSTOMER_B, 2)):
        browser = customer(address)
        token, sender = chat_session(browser)
        for _ in range(lines):
            say(browser, token, sender, "¿en qué horario atienden?")
    counted = {key.decode().split(":")[3] for key in store.scan_iter("protheus:mensajes:d:*")}
    assert {CUSTOMER_A, CUSTOMER_B} <= counted  # each customer under their own address
    assert ADDRESSES["nginx"] not in counted and HOST not in counted  # never the balancer's


def test_a_signed_sessions_conversation_is_refused_over_rest_without_its_token(deployment):
    victim = customer(CUSTOMER_A)
    token, sender = chat_session(victim)
    say(victim, token, sender, "hola")
    attacker = customer(CUSTOMER_B)
    response = attacker.post(f"{RASA}/webhooks/rest/webhook", json={"sender": sender, "message": "hola"}, timeout=10)
    assert response.status_code in (401, 403), response.text
    other_token, _ = chat_session(attacker)
    response = attacker.post(
        f"{RASA}/webhooks/rest/webhook",
        json={"sender": sender, "message": "hola"},
        headers={"Authorization": f"Bearer {other_token}"},
        timeout=10,
    )
    assert response.status_code in (401, 403), response.text


def test_the_action_server_refuses_a_call_without_the_secret(deployment):
    for instance in ("actions-1", "actions-2"):
        response = customer(CUSTOMER_B).post(
            f"http://{ADDRESSES[instance]}:5055/webhook", json={"next_action": "action_derivar"}, timeout=10
        )
        assert response.status_code == 401, (instance, response.text)


def test_the_console_reaches_rasa_and_an_activated_model_reaches_both_replicas(deployment):
    from protheus.db.accounts import AccountStore
    from protheus.trainer.registry import ModelRegistry

    db = deployment.database()
    registry = ModelRegistry(db)
    active = registry.active()
    shutil.copy(PROJECT.models / active.name, PROJECT.models / COPY_NAME)
    registry.register(COPY_NAME, active.data_hash, "prueba", active.metrics, active.comparison)
    AccountStore(db).create_user("admin-despliegue", "admin", "una-clave-larga-del-despliegue")

    health = requests.get(f"{WEB}/salud", timeout=10).json()
    assert health["rasa"] is True, health  # the web app reaches Rasa through nginx

    console = customer(CUSTOMER_A)
    page = console.get(f"{WEB}/consola/entrar", timeout=10).text
    login = re.search(r'name="csrf_entrada" value="([^"]+)"', page).group(1)
    answer = console.post(
        f"{WEB}/consola/entrar",
        data={"usuario": "admin-despliegue", "clave": "una-clave-larga-del-despliegue", "csrf_entrada": login},
        headers={"Origin": WEB},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 303, answer.text
    models = console.get(f"{WEB}/consola/entrenamiento/modelos", timeout=10).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', models).group(1)
    activated = console.post(
        f"{WEB}/consola/entrenamiento/modelos/{COPY_NAME}/activar",
        data={"csrf": csrf, "confirmar": "1"},
        headers={"Origin": WEB},
        allow_redirects=False,
        timeout=10,
    )
    assert activated.status_code == 303, activated.text
    deadline = time.monotonic() + 90
    serving: list[str] = []
    while time.monotonic() < deadline:
        serving = [
            requests.get(
                f"http://{ADDRESSES[replica]}:5005/status", params={"token": ENV_FILE["RASA_TOKEN"]}, timeout=10
            ).json()["model_file"]
            for replica in ("rasa-1", "rasa-2")
        ]
        if all(COPY_NAME in name for name in serving):
            break
        time.sleep(2)
    assert all(COPY_NAME in name for name in serving), serving
