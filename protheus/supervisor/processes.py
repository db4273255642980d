"""Start, watch and stop the action server and the Rasa server.

Used by `make run`, `make shell` and the end-to-end tests, so all three
start the bot the same way.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from protheus.common.paths import PROJECT
from protheus.common.private_files import PRIVATE_UMASK, open_private, private_dir, write_private
from protheus.common.settings import (
    ACTION_SECRET_LAUNCH_ENV,
    LOOPBACK,
    RASA_TOKEN_LAUNCH_ENV,
    TRACKER_STATUS_ENV,
    Ports,
    action_secret,
    database_url,
    ensure_secrets,
    tracker_status_file,
)
from protheus.common.settings import page_origins as settings_page_origins
from protheus.supervisor.serving import endpoints_config, nginx_config, program

LOG_DIR = PROJECT.logs


@dataclass
class Service:
    name: str
    process: subprocess.Popen
    log: Path
    health_url: str = field(repr=False)  # Rasa's carries the API token
    # How to start it again when it dies (a replica or its action server); None: its death ends the run.
    restart: Callable[[], Service] | None = field(default=None, repr=False)

    def log_tail(self, lines: int = 25) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def stop(self, grace: float = 10.0) -> None:
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=grace)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait()


def endpoints_file(ports: Ports, db_url: str, extra: dict | None = None, secret: str | None = None) -> Path:
    """endpoints.yml for a Rasa started here, its action server on loopback. Written under .state
    (git-ignored, owner-only): the URLs may hold passwords."""
    config = endpoints_config(f"http://{LOOPBACK}:{ports.actions}/webhook", db_url, extra, secret)
    return write_private(PROJECT.state / f"endpoints-{ports.rasa}.yml", yaml.safe_dump(config, allow_unicode=True))


def _spawn(
    name: str, port: int, command: list[str], health_url: str, env: dict | None = None, cwd: Path = PROJECT.root
) -> Service:
    """Start `command` in its own process group, its output in an owner-only log, and with a
    umask of 077: the database, status files and logs it creates are the owner's only."""
    private_dir(PROJECT.state)
    log = private_dir(LOG_DIR) / f"{name}-{port}.log"
    with open_private(log) as handle:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            start_new_session=True,  # its own process group: Ctrl-C stops it as a whole
            umask=PRIVATE_UMASK,
        )
    return Service(name, process, log, health_url)


def _action_secret(env: dict | None) -> str:
    """The action server's secret: the ACTION_SECRET the caller gives the servers, else the setting."""
    ensure_secrets()
    return (env or {}).get("ACTION_SECRET") or action_secret()


def start_action_server(ports: Ports, env: dict | None = None) -> Service:
    """rasa-sdk on loopback only, refusing calls without the secret (protheus.action_server.server); the
    secret goes in its environment, never on its command line."""
    command = program("actions", "--port", str(ports.actions), python=sys.executable)
    env = {**(env or {}), ACTION_SECRET_LAUNCH_ENV: _action_secret(env)}
    return _spawn("actions", ports.actions, command, f"http://{LOOPBACK}:{ports.actions}/health", env)


def page_origins(ports: Ports) -> list[str]:
    """The only origins allowed to call Rasa from a browser: the support page (settings)."""
    return settings_page_origins(ports.web)


def start_web_server(ports: Ports, env: dict | None = None) -> Service:
    command = program("web", "--port", str(ports.web), "--rasa-port", str(ports.rasa), python=sys.executable)
    return _spawn("web", ports.web, command, f"http://127.0.0.1:{ports.web}/", env)


def start_rasa_server(
    model: Path,
    token: str,
    ports: Ports,
    env: dict | None = None,
    extra_endpoints: dict | None = None,
    status_file: Path | None = None,
) -> Service:
    """One Rasa server; replicas share `status_file` (the web app reads one) and the profile's
    lock store and broker (`extra_endpoints`)."""
    env = dict(env or {})
    db_url = env.get("DATABASE_URL") or database_url()
    status = status_file or tracker_status_file(ports.rasa)
    status.unlink(missing_ok=True)  # only a store that really started writes it again
    env.setdefault(TRACKER_STATUS_ENV, str(status))
    env.setdefault("WEB_PORT", str(ports.web))  # the page's origin, which alone may open the chat
    command = rasa_command(
        "run",
        "--model",
        str(model),
        "--enable-api",
        "--interface",
        ports.host,
        "--port",
        str(ports.rasa),
        "--cors",
        *page_origins(ports),
        "--credentials",
        str(PROJECT.credentials),
        "--endpoints",
        str(endpoints_file(ports, db_url, extra_endpoints, _action_secret(env))),
    )
    health = f"http://{LOOPBACK}:{ports.rasa}/status?token={token}"
    return _spawn("rasa", ports.rasa, command, health, {**env, **rasa_token_env(token)})


def rasa_command(*arguments: str) -> list[str]:
    """`rasa <arguments>` through protheus.rasa_server.launcher, which adds the API token (given in
    `rasa_token_env`) inside the process: it is not on the command line `ps` shows."""
    return program("rasa", *arguments, python=sys.executable)


def rasa_token_env(token: str) -> dict[str, str]:
    """The environment that hands `rasa_command` its API token."""
    return {RASA_TOKEN_LAUNCH_ENV: token}


def start_balancer(public: Ports, replicas: list[Ports]) -> Service:
    """nginx on the public Rasa port in front of the replicas (protheus.supervisor.serving.nginx_config)."""

    private_dir(PROJECT.state)
    prefix = private_dir(PROJECT.state / "nginx")
    config = write_private(prefix / "nginx.conf", nginx_config(public, replicas, str(prefix)))
    command = [nginx_executable(), "-c", str(config), "-p", str(prefix), "-g", "daemon off;"]
    return _spawn("nginx", public.rasa, command, f"http://127.0.0.1:{public.rasa}/version")


def nginx_executable() -> str:
    import shutil

    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        raise RuntimeError(
            "Falta nginx, necesario con RASA_REPLICAS de 2 o más: instálelo (apt-get install nginx) "
            "o ejecute `make run`, que lo instala."
        )
    return found


def _answers(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            body = response.read().decode("utf-8") or "{}"
            return json.loads(body) if body.startswith("{") else {}
    except (urllib.error.URLError, ConnectionError, TimeoutError, json.JSONDecodeError):
        return None


def wait_until_ready(services: list[Service], timeout: float = 120.0) -> None:
    """Block until every service answers its health URL; raise with its log if one dies."""
    deadline = time.monotonic() + timeout
    pending = list(services)
    while pending:
        for service in list(pending):
            if service.process.poll() is not None:
                raise RuntimeError(
                    f"El servicio '{service.name}' se detuvo al iniciar (código {service.process.returncode}). "
                    f"Últimas líneas de {service.log}:\n{service.log_tail()}"
                )
            status = _answers(service.health_url)
            if status is not None and (service.name != "rasa" or status.get("model_id")):
                pending.remove(service)
        if pending and time.monotonic() > deadline:
            names = ", ".join(s.name for s in pending)
            raise RuntimeError(f"Tiempo de espera agotado: no respondió {names}. Revise {LOG_DIR}.")
        time.sleep(0.5)


def port_in_use(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0
