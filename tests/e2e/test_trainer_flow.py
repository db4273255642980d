"""From a real conversation to a better model and back: a new phrasing is stored, labelled
in the inbox (scrubbed, no duplicates), written into the data, retrained, evaluated,
activated into the running Rasa while another conversation is open, and rolled back."""

import shutil
import subprocess

import pytest
import requests

from protheus.common.paths import PROJECT, rasa_executable
from protheus.common.settings import model_pull_seconds
from protheus.db.database import Database
from protheus.trainer.inbox import Inbox
from protheus.trainer.lifecycle import ModelLifecycle
from protheus.trainer.nlu_files import TrainingFiles
from protheus.trainer.rasa_train import data_hash
from protheus.trainer.registry import ModelRegistry
from protheus.trainer.runs import TrainingRuns
from tests.conftest import copy_project
from tests.server_fixture import served_model as model_of_make_test

pytestmark = pytest.mark.server
PHRASING = "oigan, ¿a qué hora levantan la persiana los de la mesa de ayuda? me llamo Juan Pérez, RUT 12.345.678-5"


@pytest.fixture
def project(tmp_path):
    """A copy of the project's training inputs: the test never touches the repository's data."""
    copy = copy_project(tmp_path, with_config=True)
    shutil.copy(model_of_make_test(), copy.models / model_of_make_test().name)
    return copy


def wait_until_served(bot, name: str) -> None:
    """Every replica pulls the active model within MODEL_PULL_SECONDS, then loads it."""
    import time

    deadline = time.monotonic() + model_pull_seconds() + 60
    while not served_model(bot).endswith(name):
        assert time.monotonic() < deadline, f"Rasa no cargó {name}"
        time.sleep(1)


def served_model(bot) -> str:
    return requests.get(f"{bot.base}/status", params={"token": bot.token}, timeout=30).json()["model_file"]


def test_from_conversation_to_active_model_and_back(bot, sender, project):
    db = Database(bot.env["DATABASE_URL"])
    registry = ModelRegistry(db, project)
    original = model_of_make_test().name
    registry.register(original, data_hash(PROJECT), "make run", {}, {})
    assert registry.active().name == original  # the bot serves it (tests/server_fixture.py)

    # 1. Two customers write the new phrasing (the second one must not become a duplicate example).
    bot.replies(sender, PHRASING)
    bot.replies(sender + "-b", PHRASING)
    inbox = Inbox(db, TrainingFiles(project))
    found = [item for item in inbox.items(500) if item.sender_id in (sender, sender + "-b")]
    assert len(found) == 2 and found[0].text == PHRASING

    # 2. Labelled: scrubbed, written once, into the intent's file, only new lines.
    file = project.nlu / "conversacion.yml"
    target = TrainingFiles(project).intents()["horario_atencion"]
    before = target.read_text(encoding="utf-8")
    report = inbox.label([found[0].event_id, found[1].event_id], "horario_atencion", "tere")
    assert len(report.written) == 1 and report.duplicates == 1
    after = target.read_text(encoding="utf-8")
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert len(added) == 1 and len(after.splitlines()) == len(before.splitlines()) + 1
    assert "<nombre>" in added[0] and "<id_fiscal>" in added[0]
    assert "Juan" not in added[0] and "12.345.678-5" not in added[0]
    assert all(item.sender_id not in (sender, sender + "-b") for item in inbox.items(500))
    validate = subprocess.run(
        [
            rasa_executable(),
            "data",
            "validate",
            "--domain",
            str(project.domain),
            "--data",
            str(project.data),
            "--config",
            str(project.config),
        ],
        capture_output=True,
        text=True,
    )
    assert validate.returncode == 0, validate.stdout[-2000:] + validate.stderr[-2000:]
    assert file.exists()

    # 3. Retrained and evaluated next to the active model.
    runs = TrainingRuns(db, project)
    run_id = runs.create("tere")
    name = runs.execute(run_id)
    run = runs.get(run_id)
    assert name and run.status == "terminado" and run.progress == 100, run.message
    model = registry.get(name)
    assert model.created_by == "tere" and model.macro_f1 >= 0.9
    assert model.comparison["activo"] == original and (project.evaluations / model.comparison["matriz"]).exists()

    # 4. Activated while a conversation is half-way through a form: it goes on.
    open_chat = sender + "-abierta"
    bot.replies(open_chat, "al grabar el pedido de venta en facturación me sale un error de índice duplicado")
    assert bot.tracker(open_chat)["slots"]["requested_slot"] == "reproduce_en_estandar"
    # The bot's web app serves models from the repository's models/: the new one goes there for the test.
    shutil.copy(project.models / name, PROJECT.models / name)
    try:
        registry.activate(name, "tere", confirm=True)
        wait_until_served(bot, name)
    finally:
        (PROJECT.models / name).unlink(missing_ok=True)
    bot.replies(open_chat, "sí")
    assert bot.tracker(open_chat)["slots"]["requested_slot"] == "solo_registros_especificos"
    assert bot.parse(PHRASING)["intent"]["name"] == "horario_atencion"

    # 5. Rolled back in one step.
    restored = registry.rollback("tere")
    assert restored.name == original and registry.active().name == original
    wait_until_served(bot, original)
    assert ModelLifecycle(db, project).active_model() == project.models / original  # the one record
