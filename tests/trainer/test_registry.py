"""The model registry on SQLite and PostgreSQL: tolerance, confirmation, rollback."""

import asyncio

import pytest

from protheus.paths import Project
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


def test_rollback_twice_walks_back_through_the_history(db, project):
    registry = ModelRegistry(db, project)
    for name in ("a.tar.gz", "b.tar.gz", "c.tar.gz"):
        (project.models / name).write_bytes(b"modelo")
        registry.register(name, "hash", "tere", {"macro_f1": 0.98}, {})
        asyncio.run(registry.activate(name, "tere", None))
    assert asyncio.run(registry.rollback("tere", None)).name == "b.tar.gz"
    assert asyncio.run(registry.rollback("tere", None)).name == "a.tar.gz"
