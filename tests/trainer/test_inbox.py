"""The inbox on SQLite and PostgreSQL: worst first, labelled messages scrubbed and written."""

import pytest

from protheus.common.paths import Project
from protheus.db.conversations import ConversationStore
from protheus.db.customers import CustomerInfo, CustomerStore
from protheus.trainer.__main__ import main
from protheus.trainer.inbox import Inbox
from protheus.trainer.nlu_files import TrainingFiles
from tests.conftest import copy_project
from tests.events import fallback, session_start, store, user

KNOWN = "Qué es Soporte PRIME"  # differs only in case from a training example of info_prime (data/nlu/prime.yml)


@pytest.fixture
def project(tmp_path) -> Project:
    return copy_project(tmp_path)


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


def test_a_phone_written_with_dots_does_not_reach_the_training_data(db, project):
    """Issue 24, finding 6: «55.8765.4321» passed the scrubber and was written to data/nlu."""
    store(db, "c3", session_start() + [user("por favor llámenme al 55.8765.4321", "contacto_soporte", 0.6)], 1e9)
    ConversationStore(db).sync()
    inbox = Inbox(db, TrainingFiles(project))
    [item] = [i for i in inbox.items() if i.sender_id == "c3"]
    report = inbox.label([item.event_id], None, "tere")
    assert report.written == ["por favor llámenme al <telefono>"]
    assert "8765" not in TrainingFiles(project).intents()["contacto_soporte"].read_text(encoding="utf-8")


def test_the_terminal_inbox_masks_contacts_as_the_console_does(db, project, monkeypatch, capsys):
    written = "llámenme al 55.8765.4321 o a ana＠empresa.com"
    store(db, "c4", session_start() + [user(written, "contacto_soporte", 0.3)], 1e9)
    monkeypatch.setenv("DATABASE_URL", db.url)
    assert main(["--proyecto", str(project.root), "bandeja"]) == 0
    shown = capsys.readouterr().out
    assert "llámenme al *** *** 21 o a a***@***.com" in shown and "8765" not in shown
