"""Starts the real action server and Rasa server once per test session (e2e and browser tests)."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from protheus.common.model_pull import model_server_endpoint
from protheus.common.paths import PROJECT
from protheus.common.settings import Ports, model_pull_seconds
from protheus.db import prepare
from protheus.db.database import Database
from protheus.supervisor.processes import (
    port_in_use,
    start_action_server,
    start_rasa_server,
    start_web_server,
    wait_until_ready,
)
from protheus.trainer.lifecycle import ModelLifecycle
from protheus.trainer.rasa_train import data_hash
from protheus.trainer.registry import ModelRegistry

# Ports apart from `make run`'s, so the tests can run while the bot is up.
TEST_PORTS = Ports(
    rasa=int(os.environ.get("TEST_RASA_PORT", "15005")),
    actions=int(os.environ.get("TEST_ACTION_PORT", "15055")),
    web=int(os.environ.get("TEST_WEB_PORT", "18080")),
    host="127.0.0.1",
)


@dataclass
class Bot:
    base: str
    token: str
    services: list
    env: dict

    def service_index(self, name: str) -> int:
        return next(i for i, service in enumerate(self.services) if service.name == name)

    def send(self, sender: str, text: str) -> requests.Response:
        return requests.post(f"{self.base}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)

    def replies(self, sender: str, text: str) -> list[dict]:
        response = self.send(sender, text)
        assert response.status_code == 200, response.text
        return response.json()

    def tracker(self, sender: str) -> dict:
        response = requests.get(f"{self.base}/conversations/{sender}/tracker", params={"token": self.token}, timeout=30)
        response.raise_for_status()
        return response.json()

    def parse(self, text: str) -> dict:
        response = requests.post(
            f"{self.base}/model/parse", params={"token": self.token}, json={"text": text}, timeout=30
        )
        response.raise_for_status()
        return response.json()


def served_model() -> Path:
    """The active model of the developer's database, as `make test` leaves it (the model lifecycle)."""
    db = Database()
    prepare(db)
    model = ModelLifecycle(db).active_model()
    if model is None:
        pytest.fail("No hay modelo entrenado: `make test` entrena uno antes de las pruebas (o `make train`).")
    return model


@pytest.fixture(scope="session")
def bot(tmp_path_factory):
    model = served_model()
    busy = [p for p in (TEST_PORTS.rasa, TEST_PORTS.actions, TEST_PORTS.web) if port_in_use(p)]
    if busy:
        pytest.fail(f"Puertos de prueba ocupados: {busy} (cambie TEST_RASA_PORT / TEST_ACTION_PORT / TEST_WEB_PORT).")
    token = uuid.uuid4().hex
    # Its own database, so the tests neither see nor leave rows in the developer's one.
    # Agents' hours all week, so that what the tests see does not depend on the hour they run at.
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'protheus.db'}",
        "RASA_TOKEN": token,
        "AGENT_HOURS": "lun-dom 00:00-23:59",
    }
    db = Database(env["DATABASE_URL"])
    prepare(db)  # as `make run` does, before any service starts
    registry = ModelRegistry(db)  # the model `make test` serves, active in this database too
    registry.register(model.name, data_hash(PROJECT), "pruebas", {}, {})
    registry.activate(model.name, "pruebas")
    # As `make run`: the web app first, which serves the active model to Rasa.
    services = [start_web_server(TEST_PORTS, env)]
    models = {"models": model_server_endpoint(TEST_PORTS.web, token, model_pull_seconds())}
    try:
        wait_until_ready(services, timeout=60)
        services += [
            start_action_server(TEST_PORTS, env),
            start_rasa_server(model, token, TEST_PORTS, env=env, extra_endpoints=models),
        ]
        wait_until_ready(services, timeout=180)
        yield Bot(f"http://127.0.0.1:{TEST_PORTS.rasa}", token, services, env)
    finally:
        for service in reversed(services):
            service.stop()


@pytest.fixture
def sender() -> str:
    return f"prueba-{uuid.uuid4().hex[:12]}"
