"""Settings come from the environment, with working defaults."""
import stat

from protheus import settings


def test_token_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("RASA_TOKEN", "desde-el-entorno")
    assert settings.rasa_token(tmp_path / "token") == "desde-el-entorno"
    assert not (tmp_path / "token").exists()


def test_token_generated_once_into_private_file(tmp_path, monkeypatch):
    monkeypatch.delenv("RASA_TOKEN", raising=False)
    path = tmp_path / "state" / "token"
    first = settings.rasa_token(path)
    assert len(first) >= 32
    assert settings.rasa_token(path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_token_file_is_git_ignored():
    from protheus.paths import ROOT

    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert ".state/" in ignored and settings.TOKEN_FILE.parent.name == ".state"


def test_support_contact_default_is_not_an_address(monkeypatch):
    monkeypatch.delenv("SUPPORT_EMAIL", raising=False)
    assert "@" not in settings.support_contact()
    monkeypatch.setenv("SUPPORT_EMAIL", "soporte@example.com")
    assert settings.support_contact() == "soporte@example.com"


def test_database_url_default_is_sqlite(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert settings.database_url().startswith("sqlite:///")
    monkeypatch.setenv("DATABASE_URL", "postgresql://localhost/protheus")
    assert settings.database_url() == "postgresql://localhost/protheus"
