"""The model registry on SQLite and PostgreSQL: tolerance, confirmation, rollback."""

import pytest

from protheus.common.paths import Project
from protheus.trainer.registry import ActivationRefused, ModelRegistry
from tests.conftest import copy_project


@pytest.fixture
def project(tmp_path) -> Project:
    return copy_project(tmp_path)


def test_activation_refused_when_macro_f1_drops_then_confirmed_then_rolled_back(db, project):
    registry = ModelRegistry(db, project)
    for name, f1 in (("viejo.tar.gz", 0.98), ("nuevo.tar.gz", 0.90)):
        (project.models / name).write_bytes(b"modelo")
        registry.register(name, "hash", "tere", {"macro_f1": f1}, {})
    registry.activate("viejo.tar.gz", "tere")
    with pytest.raises(ActivationRefused, match="Confirme"):
        registry.activate("nuevo.tar.gz", "tere")
    assert registry.active().name == "viejo.tar.gz"
    registry.activate("nuevo.tar.gz", "tere", confirm=True)
    assert registry.active().name == "nuevo.tar.gz" and registry.active().previous_name == "viejo.tar.gz"
    assert registry.rollback("tere").name == "viejo.tar.gz"
    assert registry.active_path() == project.models / "viejo.tar.gz"
    with pytest.raises(ActivationRefused, match="anterior"):
        registry.rollback("tere")  # nothing before the first model


def test_tolerance_is_a_setting(db, project, monkeypatch):
    registry = ModelRegistry(db, project)
    for name, f1 in (("viejo.tar.gz", 0.98), ("nuevo.tar.gz", 0.95)):
        (project.models / name).write_bytes(b"modelo")
        registry.register(name, "hash", "tere", {"macro_f1": f1}, {})
    registry.activate("viejo.tar.gz", "tere")
    monkeypatch.setenv("MODEL_F1_TOLERANCE", "0.05")
    assert registry.activate("nuevo.tar.gz", "tere").active  # 0.03 lost, within 0.05


def test_rollback_twice_walks_back_through_the_history(db, project):
    registry = ModelRegistry(db, project)
    for name in ("a.tar.gz", "b.tar.gz", "c.tar.gz"):
        (project.models / name).write_bytes(b"modelo")
        registry.register(name, "hash", "tere", {"macro_f1": 0.98}, {})
        registry.activate(name, "tere")
    assert registry.rollback("tere").name == "b.tar.gz"
    assert registry.rollback("tere").name == "a.tar.gz"
