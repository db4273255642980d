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


CONTROLS = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, *range(0x80, 0xA0)]]
NON_CHARACTERS = ["\ufffe", "\uffff", "\ud800", "\udfff", "\ud83d"]  # U+FFFE/FFFF and lone surrogates


@pytest.mark.parametrize("odd", CONTROLS + NON_CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_customer_message_with_any_control_character_never_breaks_the_training_data(tmp_path, odd):
    """Finding 4: a BEL in a flagged message, written raw, made Rasa refuse data/nlu."""
    from rasa.shared.nlu.training_data.loading import load_data

    project = copy_project(tmp_path)
    files = TrainingFiles(project)
    intent = sorted(files.intents())[0]
    written = files.add(intent, [f"me sale un error{odd} al grabar el pedido{odd}{odd} número 7"])
    assert written and all(ch not in written[0] for ch in CONTROLS + NON_CHARACTERS)
    examples = {m.get("text") for m in load_data(str(files.intents()[intent])).training_examples}
    assert written[0] in examples  # Rasa reads the file, with the new example in it


def test_a_very_long_line_and_yaml_syntax_are_written_as_text(tmp_path):
    from rasa.shared.nlu.training_data.loading import load_data

    project = copy_project(tmp_path)
    files = TrainingFiles(project)
    intent = sorted(files.intents())[0]
    long_line = "error " + "x" * 20_000
    tricky = ["- item: {a: 1} # no comment", "key: value", "|", "'comillas' \"dobles\"", "😀 emoji con ZWJ 👩‍💻"]
    written = files.add(intent, [long_line, *tricky])
    examples = {m.get("text") for m in load_data(str(files.intents()[intent])).training_examples}
    assert set(written) <= examples and long_line in examples


def test_any_text_a_customer_writes_leaves_the_training_data_readable(tmp_path_factory):
    """Fuzzed: whatever the text (any code point, lone surrogates included), the file reads back."""
    import yaml
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    project = copy_project(tmp_path_factory.mktemp("fuzz"))
    files = TrainingFiles(project)
    intent = sorted(files.intents())[0]
    path = files.intents()[intent]

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.text(alphabet=st.characters(), min_size=1, max_size=300))
    def write(text):
        files.add(intent, [text + " ejemplo"])
        yaml.safe_load(path.read_text(encoding="utf-8"))

    write()
