"""The deployment on paper says what the code reads: every setting it sets exists, and its
endpoints name classes that exist."""

import re

import yaml

from protheus.paths import PROJECT

DEPLOY = PROJECT.root / "deploy"


def _settings_read() -> set[str]:
    text = (PROJECT.root / "protheus" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r'_(?:text|int|float|url|stored_secret)\("([A-Z_]+)"', text)) | {"TRACKER_STATUS_FILE"}


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
