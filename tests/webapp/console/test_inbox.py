"""The inbox page: several messages labelled into the data at once; agents refused."""

import asyncio

import pytest

from protheus.common.paths import Project
from protheus.trainer.nlu_files import TrainingFiles
from tests.conftest import copy_project
from tests.events import session_start, store, user
from tests.webapp.console.console_client import console

USERS = {"ana": "agente", "tere": "entrenador"}


@pytest.fixture
def project(tmp_path) -> Project:
    return copy_project(tmp_path)


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
