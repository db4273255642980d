"""The deployment on paper says what the code reads: every setting it sets exists, and its
endpoints name classes that exist."""

import re

import yaml

from protheus.common.paths import PROJECT

DEPLOY = PROJECT.root / "deploy"


def _settings_read() -> set[str]:
    text = (PROJECT.root / "protheus" / "common" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r'_(?:text|int|float|url|flag|stored_secret)\("([A-Z_]+)"', text)) | {"TRACKER_STATUS_FILE"}


def test_compose_sets_only_settings_the_code_reads():
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))
    settings = compose["x-settings"]
    assert set(settings) <= _settings_read(), set(settings) - _settings_read()
    assert {"DATABASE_URL", "LOCK_STORE_URL", "EVENT_BROKER_URL"} <= set(settings)
    assert compose["services"]["rasa"]["deploy"]["replicas"] >= 2


def test_helm_values_use_our_lock_store_and_existing_classes():
    import importlib

    values = yaml.safe_load((DEPLOY / "helm" / "rasa-values.yaml").read_text(encoding="utf-8"))
    endpoints = values["applicationSettings"]["endpoints"]
    assert endpoints["lockStore"]["enabled"] is False
    paths = [
        endpoints["additionalEndpoints"]["lock_store"]["type"],
        endpoints["trackerStore"]["type"],
        *values["applicationSettings"]["credentials"]["additionalChannelCredentials"],
    ]
    for path in paths:
        module, name = path.rsplit(".", 1)
        assert hasattr(importlib.import_module(module), name), path


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_wires_the_programs_to_each_other():
    services = _compose()["services"]
    rasa = " ".join(services["rasa"]["command"])
    assert "python -m protheus.supervisor.serving endpoints" in rasa and "sed " not in rasa and "python -c" not in rasa
    assert "--acciones http://actions:5055/webhook" in rasa and "--web http://web:8080" in rasa
    assert '--cors "${PUBLIC_URL' in rasa and "*" not in rasa.split("--cors", 1)[1]  # never every origin
    assert services["web"]["environment"]["RASA_URL"] == "http://nginx:5005"  # not its own 127.0.0.1


def test_every_deployed_action_server_checks_rasas_secret():
    actions = yaml.safe_load((DEPLOY / "helm" / "action-server-values.yaml").read_text(encoding="utf-8"))
    assert actions["args"][:2] == ["-m", "protheus.action_server"]
    rasa = yaml.safe_load((DEPLOY / "helm" / "rasa-values.yaml").read_text(encoding="utf-8"))
    for values in (actions, rasa):
        assert "ACTION_SECRET" in {env["name"] for env in values["extraEnv"]}
    assert "python -m protheus.supervisor.serving endpoints" in rasa["args"][0]
    assert "protheus.action_server" in " ".join(_compose()["services"]["actions"]["command"])


def test_a_deployed_replicas_endpoints_come_from_the_same_code_as_make_runs(tmp_path, monkeypatch):
    from protheus.supervisor import serving

    monkeypatch.setenv("DATABASE_URL", "postgresql://protheus:clave@postgres:5432/protheus")
    monkeypatch.setenv("LOCK_STORE_URL", "redis://redis:6379/1")
    monkeypatch.setenv("EVENT_BROKER_URL", "amqp://protheus:clave@rabbitmq:5672/")
    monkeypatch.setenv("ACTION_SECRET", "secreto-de-acciones")
    monkeypatch.setenv("RASA_TOKEN", "token-de-rasa")
    out = tmp_path / "endpoints.yml"
    serving.main(
        ["endpoints", "--acciones", "http://actions:5055/webhook", "--web", "http://web:8080", "--salida", str(out)]
    )
    written = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert written["action_endpoint"] == {
        "url": "http://actions:5055/webhook",
        "headers": {"X-Protheus-Action-Secret": "secreto-de-acciones"},
    }
    assert (
        written["models"]["url"] == "http://web:8080/modelos/activo" and written["models"]["token"] == "token-de-rasa"
    )
    assert written["tracker_store"]["url"].startswith("postgresql://protheus:clave@postgres:5432/protheus")
    assert {"lock_store", "event_broker"} <= set(written)
    assert out.stat().st_mode & 0o777 == 0o600


def test_the_deployments_nginx_is_generated_from_the_same_home_and_not_stale():
    from protheus.supervisor.serving import container_nginx_config

    written = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    assert written == container_nginx_config(), (
        "deploy/nginx.conf is stale: python -m protheus.supervisor.serving nginx"
    )
    assert written.count("proxy_set_header X-Real-IP $remote_addr") == 2 and "X-Request-Id" in written


def test_only_the_deployments_nginx_names_the_customers_address():
    services = _compose()["services"]
    nginx = services["nginx"]["networks"]["default"]["ipv4_address"]
    assert services["rasa"]["environment"]["TRUSTED_PROXIES"] == nginx


def test_every_deployed_rasa_requires_the_signed_session_over_rest():
    assert _compose()["x-settings"]["REST_SESSION_REQUIRED"] == "sí"
    rasa = yaml.safe_load((DEPLOY / "helm" / "rasa-values.yaml").read_text(encoding="utf-8"))
    assert {"name": "REST_SESSION_REQUIRED", "value": "sí"} in rasa["extraEnv"]
