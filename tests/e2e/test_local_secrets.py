"""Local secrets with the real servers: no secret on a command line, the action server refuses
callers without its secret while Rasa's own calls go through, and what they write is owner-only."""

import stat
from pathlib import Path

import pytest
import requests

from protheus.common.paths import PROJECT
from protheus.common.settings import (
    ACTION_SECRET_FILE,
    ACTION_SECRET_HEADER,
    TOKEN_FILE,
    action_secret,
    tracker_status_file,
)
from tests.server_fixture import TEST_PORTS

pytestmark = pytest.mark.server


def command_line(bot, name: str) -> str:
    pid = bot.services[bot.service_index(name)].process.pid
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_no_secret_is_on_a_command_line(bot):
    assert "protheus.rasa_server" in command_line(bot, "rasa")
    assert "protheus.action_server" in command_line(bot, "actions")
    for name in ("rasa", "actions", "web"):
        assert bot.token not in command_line(bot, name) and action_secret() not in command_line(bot, name)


def test_the_action_server_answers_only_rasa(bot, sender):
    webhook = f"http://127.0.0.1:{TEST_PORTS.actions}/webhook"
    call = {"next_action": "action_session_start", "sender_id": sender, "tracker": {"sender_id": sender}}
    refused = requests.post(webhook, json=call, timeout=10)
    assert refused.status_code == 401 and "No autorizado" in refused.json()["error"]
    wrong = requests.post(webhook, json=call, headers={ACTION_SECRET_HEADER: "adivinado"}, timeout=10)
    assert wrong.status_code == 401
    assert requests.get(f"http://127.0.0.1:{TEST_PORTS.actions}/health", timeout=10).status_code == 200
    # Rasa's own calls carry the secret: our session start (a custom action) fills the contact.
    bot.replies(sender, "hola")
    assert bot.tracker(sender)["slots"]["correo_soporte"]


def test_what_the_servers_write_is_owner_only(bot):
    assert mode(PROJECT.state) == 0o700 and mode(PROJECT.logs) == 0o700
    assert mode(PROJECT.state / f"endpoints-{TEST_PORTS.rasa}.yml") == 0o600
    for secret_file in (ACTION_SECRET_FILE, TOKEN_FILE):  # absent when given in the environment
        assert not secret_file.exists() or mode(secret_file) == 0o600
    for service in bot.services:
        assert mode(service.log) == 0o600
    assert mode(tracker_status_file(TEST_PORTS.rasa)) == 0o600  # written by Rasa's own process
