"""Training happens only when what the model is trained from changed."""
from protheus import training


def test_fingerprint_changes_with_content(tmp_path, monkeypatch):
    monkeypatch.setattr(training, "ROOT", tmp_path)
    a = tmp_path / "a.yml"
    a.write_text("uno", encoding="utf-8")
    before = training.fingerprint([a])
    assert training.fingerprint([a]) == before
    a.write_text("dos", encoding="utf-8")
    assert training.fingerprint([a]) != before


def test_training_inputs_cover_config_domain_and_data():
    names = {p.name for p in training.training_inputs()}
    assert "config.yml" in names and "respuestas.yml" in names and "intents.yml" in names


def test_active_model_prefers_the_activated_one(tmp_path, monkeypatch):
    monkeypatch.setattr(training, "MODELS_DIR", tmp_path)
    monkeypatch.setattr(training, "ACTIVE_FILE", tmp_path / "ACTIVE")
    old, new = tmp_path / "old.tar.gz", tmp_path / "new.tar.gz"
    old.write_bytes(b"x")
    new.write_bytes(b"y")
    training.activate(old)
    assert training.active_model() == old
    (tmp_path / "ACTIVE").unlink()
    import os

    os.utime(old, (1, 1))
    assert training.active_model() == new
