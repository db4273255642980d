"""Shared fixtures: the catalogue, the guideline, the domain and the training data."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from protheus.common.paths import CATALOGUE_FILE, GUIDELINE_FILE, PROJECT, Project
from protheus.common.settings import ensure_secrets
from tests.database_fixture import _migrated, db  # noqa: F401,E402 - shared fixtures (SQLite and PostgreSQL)
from tests.redis_fixture import redis_url  # noqa: F401,E402 - shared fixture (a Redis database)
from tests.server_fixture import bot, sender  # noqa: F401,E402 - one bot for e2e and browser tests

TESTS_DIR = Path(__file__).parent
# As a program does when it starts: the local secrets the tests' servers and sessions sign with.
ensure_secrets()


def copy_project(root: Path, with_config: bool = False) -> Project:
    """A copy of the project's training data and test split: a test never touches the repository's."""
    copy = Project(root)
    if with_config:
        shutil.copy(PROJECT.config, copy.config)
        shutil.copytree(PROJECT.domain, copy.domain)
    shutil.copytree(PROJECT.data, copy.data)
    shutil.copytree(PROJECT.test_split, copy.test_split)
    copy.models.mkdir()
    return copy


def normalise(text: str) -> str:
    """Collapse whitespace so line breaks and bullet indentation do not matter."""
    return re.sub(r"\s+", " ", text).strip()


def _require(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"Falta {path}: el repositorio espera shared/ junto a la copia de trabajo.")
    return path


@pytest.fixture(scope="session")
def catalogue() -> dict[str, dict]:
    """Intent name → spec, flattened from shared/spec/intents.yml."""
    raw = yaml.safe_load(_require(CATALOGUE_FILE).read_text(encoding="utf-8"))
    return {name: spec for group in raw.values() for name, spec in group.items()}


@pytest.fixture(scope="session")
def guideline() -> str:
    return normalise(_require(GUIDELINE_FILE).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def domain():
    from rasa.shared.core.domain import Domain

    return Domain.load(str(PROJECT.domain))


@pytest.fixture(scope="session")
def training_data():
    from rasa.shared.nlu.training_data.loading import load_data

    return load_data(str(PROJECT.nlu))


@pytest.fixture(scope="session")
def test_split():
    from rasa.shared.nlu.training_data.loading import load_data

    return load_data(str(PROJECT.test_split))


@pytest.fixture(scope="session")
def pautas() -> dict[str, list[str]]:
    return yaml.safe_load((TESTS_DIR / "data" / "pautas.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def routing() -> dict[str, dict]:
    return yaml.safe_load(PROJECT.routing.read_text(encoding="utf-8"))["intents"]


def response_text(domain, intent: str) -> str:
    variants = domain.responses.get(f"utter_{intent}") or []
    return "\n".join(v.get("text", "") for v in variants)
