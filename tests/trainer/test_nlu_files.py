"""New examples are written into a copy of data/nlu: only the new lines change, never the test split."""

import pytest

from protheus.common.paths import Project
from protheus.trainer.nlu_files import TrainingFiles, example_lines
from tests.conftest import copy_project


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
