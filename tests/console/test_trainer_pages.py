"""Trainer pages over HTTP: label from the inbox into the data, the model registry, refusals."""

import asyncio

import pytest

from protheus.paths import Project
from protheus.trainer.nlu_files import TrainingFiles
from protheus.trainer.registry import ModelRegistry
from tests.conftest import copy_project
from tests.console.console_client import console, write_status
from tests.console.events import session_start, store, user

USERS = {"ana": "agente", "tere": "entrenador"}


@pytest.fixture
def project(tmp_path) -> Project:
    return copy_project(tmp_path)


@pytest.fixture
def status_file(tmp_path):
    path = tmp_path / "estado.json"
    write_status(path)
    return path


def test_trainer_labels_several_messages_at_once(db, status_file, project):
    store(
        db,
        "c1",
        session_start()
        + [
            user("¿atienden el 1 de mayo? soy Pedro Gómez", "horario_atencion", 0.45),
            user("¿y el 25 de diciembre?", "horario_atencion", 0.41),
        ],
        1e9,
    )

    async def scenario():
        async with console(db, status_file, USERS, project) as c:
            await c.login("ana")
            assert (await c.post("/consola/entrenamiento/bandeja", {"ids": "1"})).status == 403  # agents cannot
        async with console(db, status_file, {}, project) as c:
            await c.login("tere")
            status, body = await c.get("/consola/entrenamiento")
            assert status == 200 and "¿y el 25 de diciembre?" in body
            ids = [int(v) for v in __import__("re").findall(r'name="ids" value="(\d+)"', body)]
            response = await c.client.post(
                "/consola/entrenamiento/bandeja",
                allow_redirects=False,
                headers={"Origin": c.origin},
                data=[("csrf", c.csrf), ("accion", "etiquetar"), ("intencion", "horario_atencion")]
                + [("ids", str(i)) for i in ids],
            )
            assert response.status == 303 and "n=2" in response.headers["Location"]
            text = TrainingFiles(project).intents()["horario_atencion"].read_text(encoding="utf-8")
            assert "- ¿atienden el 1 de mayo? soy <nombre>" in text and "- ¿y el 25 de diciembre?" in text
            status, body = await c.get("/consola/entrenamiento")
            assert "25 de diciembre" not in body

    asyncio.run(scenario())


def test_models_page_and_refused_activation(db, status_file, project):
    registry = ModelRegistry(db, project)
    for name, f1 in (("viejo.tar.gz", 0.98), ("nuevo.tar.gz", 0.90)):
        (project.models / name).write_bytes(b"modelo")
        registry.register(
            name,
            "abc123",
            "tere",
            {"macro_f1": f1, "n": 408},
            {
                "activo": "viejo.tar.gz",
                "macro_f1_activo": 0.98,
                "cambios": [{"texto": "<script>x</script>", "esperada": "a", "antes": "a", "despues": "b"}],
            },
        )
    asyncio.run(registry.activate("viejo.tar.gz", "tere", None))

    async def scenario():
        async with console(db, status_file, {"tere": "entrenador"}, project) as c:
            await c.login("tere")
            status, body = await c.get("/consola/entrenamiento/modelos")
            assert status == 200 and "0.980" in body and "0.900" in body
            response = await c.post("/consola/entrenamiento/modelos/nuevo.tar.gz/activar")
            status, body = await c.get(response.headers["Location"])
            assert "Confirme para activarlo" in body and registry.active().name == "viejo.tar.gz"
            status, body = await c.get("/consola/entrenamiento/modelos/nuevo.tar.gz")
            assert status == 200 and "&lt;script&gt;x&lt;/script&gt;" in body
            response = await c.post("/consola/entrenamiento/modelos/nuevo.tar.gz/activar", {"confirmar": "1"})
            assert "aviso=modelos.activado" in response.headers["Location"]
            assert registry.active().name == "nuevo.tar.gz"
            assert c.rasa.loaded == [str((project.models / "nuevo.tar.gz").resolve())]
            response = await c.post("/consola/entrenamiento/revertir")
            assert (
                "aviso=modelos.revertido" in response.headers["Location"] and registry.active().name == "viejo.tar.gz"
            )

    asyncio.run(scenario())
