"""The models page: registry, refused activation, confirmation and rollback."""

import asyncio
from unittest.mock import patch

import pytest
from sqlalchemy.exc import OperationalError

from protheus.common.paths import Project
from protheus.trainer.registry import ModelRegistry
from tests.conftest import copy_project
from tests.webapp.console.console_client import console

USERS = {"ana": "agente", "tere": "entrenador"}


@pytest.fixture
def project(tmp_path) -> Project:
    return copy_project(tmp_path)


def test_models_page_and_refused_activation(db, status_file, project):
    registry = ModelRegistry(db, project)
    for name, f1 in (("viejo.tar.gz", 0.98), ("nuevo.tar.gz", 0.90)):
        (project.models / name).write_bytes(b"modelo " + name.encode())
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
    registry.activate("viejo.tar.gz", "tere")

    async def scenario():
        async with console(db, status_file, {"tere": "entrenador"}, project) as c:
            await c.login("tere")
            status, body = await c.get("/consola/entrenamiento/modelos")
            assert status == 200 and "0.980" in body and "0.900" in body
            response = await c.post("/consola/entrenamiento/modelos/nuevo.tar.gz/activar")
            body = await response.text()  # the refusal is said on the page itself, not put in the URL
            assert response.status == 409 and "Confirme para activarlo" in body
            assert registry.active().name == "viejo.tar.gz"
            status, body = await c.get("/consola/entrenamiento/modelos/nuevo.tar.gz")
            assert status == 200 and "&lt;script&gt;x&lt;/script&gt;" in body
            response = await c.post("/consola/entrenamiento/modelos/nuevo.tar.gz/activar", {"confirmar": "1"})
            assert "aviso=modelos.activado" in response.headers["Location"]
            assert registry.active().name == "nuevo.tar.gz"
            # Every replica pulls the active model: the model server now gives the new file.
            served = await c.client.get(
                "/modelos/activo", params={"token": "token-de-prueba"}, headers={"If-None-Match": "viejo.tar.gz"}
            )
            assert served.status == 200 and served.headers["ETag"] == "nuevo.tar.gz"
            assert await served.read() == (project.models / "nuevo.tar.gz").read_bytes()
            same = await c.client.get(
                "/modelos/activo", params={"token": "token-de-prueba"}, headers={"If-None-Match": "nuevo.tar.gz"}
            )
            assert same.status == 304
            assert (await c.client.get("/modelos/activo", params={"token": "otro"})).status == 401
            # The database down: a Spanish 503 (Rasa keeps its model and asks again), never a 500.
            with patch.object(ModelRegistry, "active_path", side_effect=OperationalError("SELECT", {}, Exception("x"))):
                down = await c.client.get(
                    "/modelos/activo", params={"token": "token-de-prueba"}, headers={"If-None-Match": "nuevo.tar.gz"}
                )
                assert down.status == 503 and "Cada réplica sigue con el suyo" in await down.text()
            response = await c.post("/consola/entrenamiento/revertir")
            assert (
                "aviso=modelos.revertido" in response.headers["Location"] and registry.active().name == "viejo.tar.gz"
            )

    asyncio.run(scenario())
