"""Which model every entry point serves: the registry's active one, decided by the lifecycle.

Training and evaluation are replaced by a stand-in that registers a model file with the
given macro-F1 (the real ones run in tests/e2e/test_trainer_flow.py and in `make test`)."""

import pytest

from protheus.trainer.lifecycle import LifecycleError, ModelLifecycle
from protheus.trainer.rasa_train import model_name
from tests.conftest import copy_project


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path, with_config=True)


def lifecycle_scoring(db, project, monkeypatch, f1: float | None) -> ModelLifecycle:
    """A lifecycle whose training writes the model file and registers it with macro-F1 `f1`."""
    lifecycle = ModelLifecycle(db, project)

    def execute(run_id):
        if f1 is None:
            return None
        name = model_name(project)
        (project.models / name).write_bytes(b"modelo")
        lifecycle.registry.register(name, "hash", lifecycle.runs.get(run_id).requested_by, {"macro_f1": f1}, {})
        return name

    monkeypatch.setattr(lifecycle.runs, "execute", execute)
    return lifecycle


def register(lifecycle, name: str, f1: float, active: bool = False) -> None:
    (lifecycle.project.models / name).write_bytes(b"modelo")
    lifecycle.registry.register(name, "hash", "tere", {"macro_f1": f1}, {})
    if active:
        lifecycle.registry.activate(name, "tere", confirm=True)


def change_data(project) -> None:
    path = project.nlu / "conversacion.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def test_first_start_trains_registers_and_activates(db, project, monkeypatch):
    lifecycle = lifecycle_scoring(db, project, monkeypatch, 0.97)
    prepared = lifecycle.prepare("make run")
    assert prepared.trained and prepared.active == project.models / model_name(project)
    assert lifecycle.active_model() == prepared.active
    assert lifecycle.registry.get(model_name(project)).created_by == "make run"


def test_nothing_to_do_when_the_data_did_not_change(db, project, monkeypatch):
    lifecycle = lifecycle_scoring(db, project, monkeypatch, 0.97)
    lifecycle.prepare("make run")
    again = lifecycle.prepare("make run")
    assert not again.trained and again.note == ""


def test_new_data_within_tolerance_is_activated(db, project, monkeypatch):
    lifecycle = lifecycle_scoring(db, project, monkeypatch, 0.965)
    register(lifecycle, "protheus-anterior.tar.gz", 0.97, active=True)
    prepared = lifecycle.prepare("make run")
    assert prepared.trained and prepared.active.name == model_name(project)
    assert lifecycle.registry.active().previous_name == "protheus-anterior.tar.gz"


def test_a_worse_model_is_registered_but_not_activated(db, project, monkeypatch):
    lifecycle = lifecycle_scoring(db, project, monkeypatch, 0.90)
    register(lifecycle, "protheus-anterior.tar.gz", 0.97, active=True)
    prepared = lifecycle.prepare("make run")
    assert prepared.active.name == "protheus-anterior.tar.gz"
    assert "macro-F1 0.900" in prepared.note and "--confirmar" in prepared.note
    assert lifecycle.registry.get(model_name(project)) is not None


def test_make_test_serves_the_current_data_whatever_it_scores(db, project, monkeypatch):
    lifecycle = lifecycle_scoring(db, project, monkeypatch, 0.90)
    register(lifecycle, "protheus-anterior.tar.gz", 0.97, active=True)
    assert lifecycle.prepare("make test", always_activate=True).active.name == model_name(project)


def test_a_trainers_rollback_survives_a_restart(db, project, monkeypatch):
    lifecycle = lifecycle_scoring(db, project, monkeypatch, 0.97)
    register(lifecycle, "protheus-anterior.tar.gz", 0.96, active=True)
    lifecycle.prepare("make run")
    lifecycle.registry.rollback("tere")
    prepared = lifecycle.prepare("make run")
    assert prepared.active.name == "protheus-anterior.tar.gz" and "el que marca el registro" in prepared.note


def test_a_failed_training_says_so(db, project, monkeypatch):
    lifecycle = lifecycle_scoring(db, project, monkeypatch, None)
    with pytest.raises(LifecycleError, match="El entrenamiento falló"):
        lifecycle.prepare("make run")


def test_a_missing_model_file_is_rebuilt(db, project, monkeypatch):
    lifecycle = lifecycle_scoring(db, project, monkeypatch, 0.97)
    first = lifecycle.prepare("make run").active
    first.unlink()
    assert lifecycle.active_model() is None
    assert lifecycle.prepare("make run").trained and lifecycle.active_model() == first


def test_a_failed_retraining_keeps_serving_the_active_model_and_says_why(db, project, monkeypatch):
    lifecycle = lifecycle_scoring(db, project, monkeypatch, None)  # training fails
    register(lifecycle, "protheus-anterior.tar.gz", 0.97, active=True)
    prepared = lifecycle.prepare("make run")
    assert prepared.active.name == "protheus-anterior.tar.gz"
    assert "El entrenamiento falló" in prepared.note and "Sigue activo protheus-anterior.tar.gz" in prepared.note
