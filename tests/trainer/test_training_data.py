"""Inbox, writing examples and the model registry, on a copy of the project's data and on
SQLite and PostgreSQL."""

import asyncio

import pytest

from protheus.db.conversations import ConversationStore
from protheus.db.customers import CustomerInfo, CustomerStore
from protheus.paths import Project
from protheus.trainer.inbox import Inbox
from protheus.trainer.nlu_files import TrainingFiles, example_lines
from protheus.trainer.registry import ActivationRefused, ModelRegistry
from tests.conftest import copy_project
from tests.console.events import fallback, session_start, store, user

KNOWN = "Qué es Soporte PRIME"  # differs only in case from a training example of info_prime (data/nlu/prime.yml)


@pytest.fixture
def project(tmp_path) -> Project:
    return copy_project(tmp_path)


def test_new_examples_are_the_only_change_in_the_file(project):
    files = TrainingFiles(project)
    path = files.intents()["horario_atencion"]
    before = path.read_text(encoding="utf-8")
    written = files.add(
        "horario_atencion", ["¿abren los feriados de [Semana Santa]?", "  ¿ABREN los feriados de (Semana Santa)?"]
    )
    after = path.read_text(encoding="utf-8")
    assert written == ["¿abren los feriados de (Semana Santa)?"]  # no entity syntax; the second is a duplicate
    old, new = before.splitlines(), after.splitlines()
    assert len(new) == len(old) + 1 and [line for line in new if line not in old] == [
        "    - ¿abren los feriados de (Semana Santa)?"
    ]
    assert "¿abren los feriados de (Semana Santa)?" in example_lines(after.split("horario_atencion", 1)[1])


def test_test_split_and_existing_examples_are_never_written(project):
    files = TrainingFiles(project)

    def first_example(path):
        return next(
            line.strip()[2:] for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("    - ")
        )

    test_example, train_example = (
        first_example(project.test_split / "prime.yml"),
        first_example(project.nlu / "prime.yml"),
    )
    assert files.add("info_prime", [test_example.upper(), f"  {train_example}  "]) == []


def test_unknown_intent(project):
    with pytest.raises(KeyError, match="no tiene ejemplos"):
        TrainingFiles(project).add("no_existe", ["hola"])


@pytest.fixture
def inbox(db, project) -> Inbox:
    store(
        db,
        "c1",
        session_start()
        + [
            user(KNOWN, "info_prime", 0.99),  # already an example
            user("necesito que me llame Laura Méndez al 55 1234 5678", "contacto_soporte", 0.7),
        ],
        1e9,
    )
    store(
        db,
        "c2",
        session_start()
        + [
            fallback("eso de la cosa del sistema", "info_prime", 0.2),
            user("se me trabó el MATA410 otra vez", "reportar_error", 0.9),
        ],
        1e9 + 100,
    )
    ConversationStore(db).sync()
    return Inbox(db, TrainingFiles(project))


def test_inbox_worst_first_flagged_on_top(db, inbox):
    texts = [i.text for i in inbox.items()]
    assert KNOWN not in texts
    assert texts[0] == "eso de la cosa del sistema"  # fallback first
    trabo = next(i for i in inbox.items() if i.text.startswith("se me trabó"))
    ConversationStore(db).flag(trabo.event_id, "ana")
    assert inbox.items()[0].text.startswith("se me trabó")  # flagged before everything


def test_label_scrubs_writes_and_leaves_the_inbox(db, inbox, project):
    CustomerStore(db).upsert(
        CustomerInfo("PRIME01", "Distribuidora Andina", "México", "prime", "Laura Méndez", "laura@example.com")
    )
    contact = next(i for i in inbox.items() if i.intent == "contacto_soporte")
    report = inbox.label([contact.event_id], None, "tere")  # None: the predicted intent
    assert report.written == ["necesito que me llame <nombre> al <telefono>"]
    path = TrainingFiles(project).intents()["contacto_soporte"]
    assert "- necesito que me llame <nombre> al <telefono>" in path.read_text(encoding="utf-8")
    assert contact.event_id not in [i.event_id for i in inbox.items()]
    vague = next(i for i in inbox.items() if i.fallback)
    assert inbox.discard([vague.event_id], "tere") == 1
    assert vague.event_id not in [i.event_id for i in inbox.items()]


def test_activation_refused_when_macro_f1_drops_then_confirmed_then_rolled_back(db, project):
    registry = ModelRegistry(db, project)
    for name, f1 in (("viejo.tar.gz", 0.98), ("nuevo.tar.gz", 0.90)):
        (project.models / name).write_bytes(b"modelo")
        registry.register(name, "hash", "tere", {"macro_f1": f1}, {})
    asyncio.run(registry.activate("viejo.tar.gz", "tere", None))
    with pytest.raises(ActivationRefused, match="Confirme"):
        asyncio.run(registry.activate("nuevo.tar.gz", "tere", None))
    assert registry.active().name == "viejo.tar.gz"
    asyncio.run(registry.activate("nuevo.tar.gz", "tere", None, confirm=True))
    assert registry.active().name == "nuevo.tar.gz" and registry.active().previous_name == "viejo.tar.gz"
    assert asyncio.run(registry.rollback("tere", None)).name == "viejo.tar.gz"
    assert registry.active_path() == project.models / "viejo.tar.gz"
    with pytest.raises(ActivationRefused, match="anterior"):
        asyncio.run(registry.rollback("tere", None))  # nothing before the first model


def test_tolerance_is_a_setting(db, project, monkeypatch):
    registry = ModelRegistry(db, project)
    for name, f1 in (("viejo.tar.gz", 0.98), ("nuevo.tar.gz", 0.95)):
        (project.models / name).write_bytes(b"modelo")
        registry.register(name, "hash", "tere", {"macro_f1": f1}, {})
    asyncio.run(registry.activate("viejo.tar.gz", "tere", None))
    monkeypatch.setenv("MODEL_F1_TOLERANCE", "0.05")
    assert asyncio.run(registry.activate("nuevo.tar.gz", "tere", None)).active  # 0.03 lost, within 0.05


def test_a_run_whose_process_died_does_not_block_the_next(db, project):
    from protheus.trainer.runs import STALE_AFTER, TrainingRuns

    runs = TrainingRuns(db, project)
    run_id = runs.create("tere")
    runs.update(run_id, status="entrenando")
    assert runs.running().id == run_id
    assert runs.running(now=runs.get(run_id).started_at + STALE_AFTER + 1) is None
    assert runs.get(run_id).status == "fallido" and "Interrumpido" in runs.get(run_id).message


def test_rollback_twice_walks_back_through_the_history(db, project):
    registry = ModelRegistry(db, project)
    for name in ("a.tar.gz", "b.tar.gz", "c.tar.gz"):
        (project.models / name).write_bytes(b"modelo")
        registry.register(name, "hash", "tere", {"macro_f1": 0.98}, {})
        asyncio.run(registry.activate(name, "tere", None))
    assert asyncio.run(registry.rollback("tere", None)).name == "b.tar.gz"
    assert asyncio.run(registry.rollback("tere", None)).name == "a.tar.gz"
