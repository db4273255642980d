"""Settings come from the environment, with working defaults."""

import stat

import pytest

from protheus.common import settings

SECRETS = [("RASA_TOKEN", settings.rasa_token), ("ACTION_SECRET", settings.action_secret)]


@pytest.mark.parametrize("variable, read", SECRETS, ids=[name for name, _ in SECRETS])
def test_a_secret_from_the_environment_wins(tmp_path, monkeypatch, variable, read):
    monkeypatch.setenv(variable, "desde-el-entorno")
    assert read(tmp_path / "secreto") == "desde-el-entorno"
    assert not (tmp_path / "secreto").exists()


@pytest.mark.parametrize("variable, read", SECRETS, ids=[name for name, _ in SECRETS])
def test_a_secret_is_generated_once_at_start_into_a_private_file(tmp_path, monkeypatch, variable, read):
    monkeypatch.delenv(variable, raising=False)
    path = tmp_path / "estado" / "secreto"
    with pytest.raises(settings.SettingError, match=variable):
        read(path)  # a getter only reads: nothing is written behind a program's back
    assert not path.exists()
    settings._ensure_secret(variable, path)
    first = read(path)
    settings._ensure_secret(variable, path)
    assert len(first) >= 32 and read(path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_the_action_secret_is_its_own_and_beside_the_token(tmp_path, monkeypatch):
    monkeypatch.delenv("ACTION_SECRET", raising=False)
    monkeypatch.delenv("RASA_TOKEN", raising=False)
    settings._ensure_secret("ACTION_SECRET", tmp_path / "action_secret")
    settings._ensure_secret("RASA_TOKEN", tmp_path / "token")
    assert settings.action_secret(tmp_path / "action_secret") != settings.rasa_token(tmp_path / "token")
    assert settings.ACTION_SECRET_FILE.parent == settings.TOKEN_FILE.parent  # .state, git-ignored


def test_token_file_is_git_ignored():
    from protheus.common.paths import PROJECT

    ignored = (PROJECT.root / ".gitignore").read_text(encoding="utf-8").split()
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


def test_ports_and_hosts_have_one_default_each(monkeypatch):
    for name in ("RASA_PORT", "ACTION_PORT", "WEB_PORT", "RASA_HOST", "WEB_HOST"):
        monkeypatch.delenv(name, raising=False)
    assert settings.ports() == settings.Ports(5005, 5055, 8080, "127.0.0.1")
    assert settings.rasa_url() == "http://127.0.0.1:5005"
    monkeypatch.setenv("RASA_PORT", "6005")
    assert settings.ports().rasa == 6005 and settings.ports().web == 8080
    assert settings.rasa_url() == "http://127.0.0.1:6005"
    assert settings.tracker_status_file().name == "tracker-store-6005.json"


def test_page_settings(monkeypatch):
    monkeypatch.setenv("CORS_ORIGINS", " https://soporte.example.com  https://b.example.com ")
    monkeypatch.setenv("RASA_PUBLIC_URL", " https://bot.example.com ")
    assert settings.extra_cors_origins() == ["https://soporte.example.com", "https://b.example.com"]
    assert settings.rasa_public_url() == "https://bot.example.com"
    monkeypatch.delenv("CORS_ORIGINS")
    assert settings.extra_cors_origins() == []


def test_settings_is_the_only_reader_of_the_environment():
    """Other modules may pass the environment on to a child process, never read a setting from it."""
    import re

    from protheus.common.paths import PROJECT

    reads = re.compile(r"os\.environ\.get|os\.getenv|os\.environ\[")
    offenders = [
        f"{path.relative_to(PROJECT.root)}:{number}"
        for folder in ("protheus",)
        for path in sorted((PROJECT.root / folder).rglob("*.py"))
        if path.name != "settings.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if reads.search(line)
    ]
    assert offenders == []


def test_pasted_logs_have_their_own_limit_with_a_hard_cap(monkeypatch):
    monkeypatch.delenv("MAX_LOG_CHARS", raising=False)
    monkeypatch.delenv("MAX_MESSAGE_CHARS", raising=False)
    assert settings.max_log_chars() == 20_000
    monkeypatch.setenv("MAX_LOG_CHARS", "10000000")
    assert settings.max_log_chars() == 100_000
    monkeypatch.setenv("MAX_LOG_CHARS", "10")
    assert settings.max_log_chars() == settings.max_message_chars()  # never below the text limit


def test_action_timeout_is_seconds_within_bounds(monkeypatch):
    monkeypatch.delenv("ACTION_TIMEOUT", raising=False)
    assert settings.action_timeout() == 5.0
    monkeypatch.setenv("ACTION_TIMEOUT", "2.5")
    assert settings.action_timeout() == 2.5
    for wrong in ("3000", "pronto"):
        monkeypatch.setenv("ACTION_TIMEOUT", wrong)
        with pytest.raises(settings.SettingError, match="ACTION_TIMEOUT"):
            settings.action_timeout()


@pytest.mark.parametrize(
    ("variable", "value", "getter", "said"),
    [
        ("RASA_PORT", "cinco", settings.ports, "RASA_PORT debe ser un número entero; vale «cinco»."),
        ("WEB_PORT", "70000", settings.ports, "WEB_PORT debe ser entre 1 y 65535; vale 70000."),
        ("DATABASE_URL", "mysql://root@db/protheus", settings.database_url, "DATABASE_URL debe empezar con sqlite://"),
        ("LOCK_STORE_URL", "localhost:6379", settings.lock_store_url, "LOCK_STORE_URL debe empezar con redis://"),
        ("EVENT_BROKER_URL", "http://x", settings.event_broker_url, "EVENT_BROKER_URL debe empezar con amqp://"),
        ("PORTAL_URL", "javascript:alert(1)", settings.portal_url, "PORTAL_URL debe empezar con https://"),
        ("RASA_REPLICAS", "0", settings.rasa_replicas, "RASA_REPLICAS debe ser al menos 1; vale 0."),
        ("AGENT_HOURS", "siempre", settings.agent_hours, "AGENT_HOURS"),
    ],
)
def test_an_invalid_value_is_refused_by_name_never_replaced_by_a_default(monkeypatch, variable, value, getter, said):
    monkeypatch.setenv(variable, value)
    with pytest.raises(settings.SettingError) as refused:
        getter()
    assert str(refused.value).startswith(said)
    assert said.split()[0] in "\n".join(settings.problems())


def test_a_password_in_a_refused_url_is_not_repeated(monkeypatch):
    monkeypatch.setenv("EVENT_BROKER_URL", "http://guest:s3creta@rabbit:5672/")
    [problem] = settings.problems()
    assert "s3creta" not in problem and ":***@" in problem


def test_a_start_with_invalid_settings_stops_naming_each(monkeypatch, capsys):
    monkeypatch.setenv("RASA_PORT", "cinco")
    monkeypatch.setenv("LOCK_STORE_URL", "localhost")
    with pytest.raises(SystemExit) as stopped:
        settings.require_valid()
    said = capsys.readouterr().err
    assert stopped.value.code == 2 and "RASA_PORT" in said and "LOCK_STORE_URL" in said


def test_valid_settings_start(monkeypatch):
    monkeypatch.setenv("RASA_PORT", "15005")
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    assert settings.problems() == []


def test_a_launch_secret_is_taken_out_of_the_environment(monkeypatch):
    monkeypatch.setenv(settings.ACTION_SECRET_LAUNCH_ENV, " entregado ")
    assert settings.take_launch_secret(settings.ACTION_SECRET_LAUNCH_ENV) == "entregado"
    assert settings.take_launch_secret(settings.ACTION_SECRET_LAUNCH_ENV) == ""


@pytest.mark.parametrize(
    "program",
    ["protheus.supervisor", "protheus.webapp", "protheus.action_server", "protheus.rasa_server"],
)
def test_each_program_refuses_to_start_with_an_invalid_setting(program):
    import os
    import subprocess
    import sys

    env = {**os.environ, "ACTION_PORT": "cinco mil"}
    done = subprocess.run([sys.executable, "-m", program], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "ACTION_PORT debe ser un número entero; vale «cinco mil»." in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, True),  # the embedded default: one process on SQLite
        ({"DATABASE_URL": "postgresql://u@db:5432/p"}, False),
        (
            {"RASA_REPLICAS": "2", "DATABASE_URL": "postgresql://u@db:5432/p", "LOCK_STORE_URL": "redis://r:6379/1"},
            False,
        ),
        ({"LOCK_STORE_URL": "redis://r:6379/1", "DATABASE_URL": "postgresql://u@db:5432/p"}, False),
        ({"DEMO_DATA": "no"}, False),
        ({"DEMO_DATA": "sí", "DATABASE_URL": "postgresql://u@db:5432/p"}, True),
    ],
)
def test_demo_data_only_in_the_embedded_default_or_where_asked(monkeypatch, env, expected):
    for name in ("DEMO_DATA", "DATABASE_URL", "RASA_REPLICAS", "LOCK_STORE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert settings.demo_data() is expected


def test_the_production_profile_refuses_demo_data(monkeypatch):
    monkeypatch.setenv("DEMO_DATA", "sí")
    monkeypatch.setenv("RASA_REPLICAS", "2")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db:5432/p")
    monkeypatch.setenv("LOCK_STORE_URL", "redis://r:6379/1")
    with pytest.raises(settings.SettingError, match="DEMO_DATA no puede ser «sí» en el perfil de producción"):
        settings.demo_data()
    assert any("DEMO_DATA" in problem for problem in settings.problems())
