"""A model is named after what it is trained from: a new name exactly when an input changed."""

import shutil

from protheus.common.paths import PROJECT, Project
from protheus.trainer.rasa_train import data_hash, fingerprint, model_name, train_command, training_inputs


def test_fingerprint_changes_with_content(tmp_path):
    a = tmp_path / "a.yml"
    a.write_text("uno", encoding="utf-8")
    before = fingerprint([a], tmp_path)
    assert fingerprint([a], tmp_path) == before
    a.write_text("dos", encoding="utf-8")
    assert fingerprint([a], tmp_path) != before


def test_training_inputs_cover_config_domain_data_and_our_components():
    names = {p.name for p in training_inputs(PROJECT)}
    assert {"config.yml", "respuestas.yml", "intents.yml", "sentence_encoder.py"} <= names


def test_a_copy_has_the_same_model_name_until_its_data_changes(tmp_path):
    copy = Project(tmp_path)
    shutil.copy(PROJECT.config, copy.config)
    shutil.copytree(PROJECT.domain, copy.domain)
    shutil.copytree(PROJECT.data, copy.data)
    assert model_name(copy) == model_name(PROJECT) and model_name(copy).startswith("protheus-")
    (copy.nlu / "conversacion.yml").write_text((copy.nlu / "conversacion.yml").read_text(encoding="utf-8") + "\n")
    assert data_hash(copy) != data_hash(PROJECT)


def test_the_command_trains_the_project_into_its_models_folder(tmp_path):
    command = train_command(Project(tmp_path), "protheus-abc.tar.gz")
    assert command[1] == "train" and command[-2:] == ["--fixed-model-name", "protheus-abc"]
    assert command[command.index("--out") + 1] == str(tmp_path / "models")
