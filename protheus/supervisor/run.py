"""`make run` and `make shell`: train if needed, start the servers, stop them on Ctrl-C."""

from __future__ import annotations

import argparse
import functools
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from protheus.common.model_pull import model_server_endpoint
from protheus.common.paths import PROJECT, rasa_executable
from protheus.common.private_files import keep_private
from protheus.common.settings import (
    LOOPBACK,
    TOKEN_FILE,
    Ports,
    console_timezone,
    database_url,
    ensure_secrets,
    model_pull_seconds,
    rasa_token,
    rasa_token_from_environment,
    require_valid,
    support_contact,
    tracker_status_file,
)
from protheus.common.settings import ports as configured_ports
from protheus.supervisor.processes import (
    Service,
    endpoints_file,
    port_in_use,
    start_action_server,
    start_balancer,
    start_rasa_server,
    start_web_server,
    wait_until_ready,
)
from protheus.supervisor.serving import Profile, endpoint_entries, problem, profile, replica_ports


def _check_ports(ports: Ports, *needed: int) -> None:
    busy = [p for p in needed if port_in_use(p)]
    if busy:
        sys.exit(
            f"El puerto {', '.join(map(str, busy))} ya está en uso: ¿quedó otro `make run` abierto? "
            "Deténgalo o elija otros puertos con RASA_PORT / ACTION_PORT."
        )


def _stop_all(services: list[Service]) -> None:
    for service in reversed(services):
        service.stop()


def _banner(ports: Ports, token: str, found: Profile) -> str:
    rest = f"http://127.0.0.1:{ports.rasa}/webhooks/rest/webhook"
    replicas = replica_ports(ports, found.replicas) if found.balanced else [ports]
    actions = ", ".join(f"http://127.0.0.1:{r.actions}" for r in replicas)
    if found.balanced:
        actions += f"; {found.replicas} réplicas de Rasa detrás de nginx en el puerto {ports.rasa}"
    token_hint = (
        "variable RASA_TOKEN" if rasa_token_from_environment() else f"archivo {TOKEN_FILE.relative_to(PROJECT.root)}"
    )
    return f"""
El asistente está listo.
  Página de soporte (chat web): http://localhost:{ports.web}/
  Consola de agentes:           http://localhost:{ports.web}/consola
  Estado (JSON):                http://localhost:{ports.web}/salud
  Bot (REST):        {rest}
  Bot (socket.io):   http://127.0.0.1:{ports.rasa}/socket.io/
  API HTTP de Rasa:  http://127.0.0.1:{ports.rasa}/  (token en el {token_hint})
  Servidor de acciones: {actions} (solo local y con secreto)
  Contacto de soporte mostrado: {support_contact()}

Pruébelo:
  curl -s -X POST {rest} -H 'Content-Type: application/json' \\
       -d '{{"sender": "prueba", "message": "hola, ¿qué es el soporte prime?"}}'
  make shell    (conversar en la terminal)

Ctrl-C detiene todo.
"""


def prepare_database_and_model() -> Path:
    """Create or update the tables and, in the embedded default (DEMO_DATA), load the demo customers, then the model
    to serve: trained, evaluated and registered when the data changed (the model lifecycle,
    in its own process so that this one does not keep the evaluated models in memory)."""
    from protheus.db import prepare
    from protheus.db.database import Database
    from protheus.trainer.lifecycle import ModelLifecycle

    db = Database()
    added = prepare(db)
    if added:
        print(f"Base de datos lista; clientes demo cargados: {added} (PRIME01, STD01).")
    if subprocess.run([sys.executable, "-m", "protheus.trainer", "preparar"], cwd=PROJECT.root).returncode != 0:
        sys.exit("No hay un modelo para servir: revise los mensajes de arriba.")
    model = ModelLifecycle(db).active_model()
    if model is None:
        sys.exit("No hay un modelo activo: ejecute `make train`.")
    return model


def _storage_warnings(ports: Ports) -> str:
    """Loud lines when conversations are not being stored, or when no one can log in."""
    from protheus.common.store_status import read_status
    from protheus.db.accounts import AccountStore
    from protheus.db.database import Database
    from protheus.support.health import database_answers, verdict

    db = Database()
    health = verdict(True, database_answers(db), read_status(tracker_status_file(ports.rasa)), console_timezone())
    lines = [f"¡ATENCIÓN! {warning}" for warning in health.warnings + health.details]
    if health.database and not AccountStore(db).has_admin():
        lines.append("Aún no hay administrador de la consola. Créelo con: make admin USUARIO=su_nombre")
    return "".join(line + "\n" for line in lines)


def _start(ports: Ports, model: Path, token: str, found: Profile) -> list[Service]:
    """The embedded default, or N replicas with their action servers behind nginx."""
    # Every replica pulls the active model from the web app (protheus/webapp/model_server.py).
    extra = {**endpoint_entries(found), "models": model_server_endpoint(ports.web, token, model_pull_seconds())}
    if not found.balanced:
        return [start_action_server(ports), start_rasa_server(model, token, ports, extra_endpoints=extra)]
    replicas = replica_ports(ports, found.replicas)
    _check_ports(ports, *[r.rasa for r in replicas], *[r.actions for r in replicas])
    status = tracker_status_file(ports.rasa)  # one status file: the web app reads it
    behind_nginx = {"TRUSTED_PROXIES": LOOPBACK}  # nginx, on this machine, names the customer's address

    def replica(r: Ports) -> Service:
        # A replica started again serves the active model: it asks the web app for it.
        return start_rasa_server(model, token, r, env=behind_nginx, extra_endpoints=extra, status_file=status)

    services = [restartable(functools.partial(start_action_server, r)) for r in replicas]
    services += [restartable(functools.partial(replica, r)) for r in replicas]
    return [*services, start_balancer(ports, replicas)]


def restartable(start: Callable[[], Service]) -> Service:
    """A service that make run starts again when it dies, as a process supervisor would."""
    service = start()
    service.restart = start
    return service


RESTART_DELAYS = (1, 2, 5, 10, 30, 60)  # seconds before each new start of a dead replica
STEADY_SECONDS = 300  # a replica up this long starts its count of deaths again


@dataclass
class Restarts:
    """When each dead replica starts again: later after every death in a row."""

    deaths: dict[int, int] = field(default_factory=dict)  # by slot in the services list
    due: dict[int, float] = field(default_factory=dict)
    started: dict[int, float] = field(default_factory=dict)


def watch_step(services: list[Service], restarts: Restarts, now: float) -> Service | None:
    """One look at the services: a dead replica (or its action server) is started again after
    its delay; returns a service whose death ends the run (the web app, nginx, the embedded
    Rasa or action server), else None."""
    for slot, service in enumerate(services):
        if service.process.poll() is None:
            if now - restarts.started.get(slot, now) > STEADY_SECONDS:
                restarts.deaths.pop(slot, None)
            continue
        if service.restart is None:
            return service
        if slot not in restarts.due:
            deaths = restarts.deaths.get(slot, 0)
            delay = RESTART_DELAYS[min(deaths, len(RESTART_DELAYS) - 1)]
            restarts.deaths[slot], restarts.due[slot] = deaths + 1, now + delay
            print(
                f"¡ATENCIÓN! Se detuvo '{service.name}' ({service.log}); las demás réplicas siguen atendiendo. "
                f"Lo inicio de nuevo en {delay} s (vez {deaths + 1}). Últimas líneas:\n{service.log_tail(5)}",
                file=sys.stderr,
                flush=True,
            )
        elif now >= restarts.due[slot]:
            del restarts.due[slot]
            services[slot] = restartable(service.restart)  # and again, should it die again
            restarts.started[slot] = now
            print(f"Inicié de nuevo '{service.name}' ({services[slot].log}).", file=sys.stderr, flush=True)
    return None


def _watch(services: list[Service]) -> Service:
    """Until a service the customers cannot do without stops; a dead replica is started again
    while the others answer (nginx sends its traffic there meanwhile)."""
    restarts = Restarts()
    while True:
        ended = watch_step(services, restarts, time.monotonic())
        if ended is not None:
            return ended
        time.sleep(1)


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _stop_once(signum: int, frame: object) -> None:  # noqa: ARG001 - signal handler signature
    # The first signal stops everything; a second one (Ctrl-C pressed again, a process manager's
    # SIGTERM after make's) must not interrupt the stopping and leave servers running.
    for other in STOP_SIGNALS:
        signal.signal(other, signal.SIG_IGN)
    raise KeyboardInterrupt


def stop_on_signals() -> None:
    """Ctrl-C (SIGINT), closing the terminal (SIGHUP) and SIGTERM all stop every service, once."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, _stop_once)


def run() -> None:
    ports = configured_ports()
    found = profile()
    refusal = problem(found)
    if refusal:
        sys.exit(refusal)
    _check_ports(ports, ports.rasa, ports.actions, ports.web)
    model = prepare_database_and_model()
    token = rasa_token()
    services: list[Service] = []

    stop_on_signals()
    try:
        started = time.monotonic()
        what = f"{found.replicas} réplicas de Rasa detrás de nginx" if found.balanced else "el servidor Rasa"
        print(f"Iniciando los servidores de acciones y {what}...", flush=True)
        services.append(start_web_server(ports))  # first: it serves the model to the replicas
        wait_until_ready(services)
        services += _start(ports, model, token, found)
        wait_until_ready(services)
        print(f"(listo en {time.monotonic() - started:.1f} s)")
        print(_banner(ports, token, found), flush=True)
        print(_storage_warnings(ports), end="", flush=True)
        dead = _watch(services)
        print(f"El servicio '{dead.name}' se detuvo. Últimas líneas:\n{dead.log_tail()}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("\nDeteniendo los servicios...")
    except RuntimeError as error:
        print(error, file=sys.stderr)
        sys.exit(1)
    finally:
        _stop_all(services)


def shell() -> None:
    ports = configured_ports()
    _check_ports(ports, ports.actions)
    model = prepare_database_and_model()
    actions = start_action_server(ports)
    try:
        wait_until_ready([actions])
        subprocess.run(
            [
                rasa_executable(),
                "shell",
                "--model",
                str(model),
                "--endpoints",
                str(endpoints_file(ports, database_url())),
            ],
            cwd=PROJECT.root,
        )
    except KeyboardInterrupt:
        pass
    except RuntimeError as error:
        print(error, file=sys.stderr)
        sys.exit(1)
    finally:
        actions.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description="Inicia el asistente de soporte Protheus.")
    parser.add_argument("mode", choices=["run", "shell"], nargs="?", default="run")
    args = parser.parse_args()
    require_valid()  # a setting that cannot be used stops the start, named, before anything runs
    keep_private()  # the database, tokens and logs this run and its servers create: owner-only
    ensure_secrets()
    {"run": run, "shell": shell}[args.mode]()


if __name__ == "__main__":
    main()
