"""Rasa's patches: each listed with why, all put in place by one install(), reported as in effect."""

import rasa.core.actions.action as rasa_actions
from rasa.core.processor import MessageProcessor
from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
from rasa.shared.core.events import Event

from protheus.rasa_server import action_calls, event_lookup, launcher, parse_cache, patches, payloads


def test_each_patch_has_a_name_and_a_reason():
    names = [patch.name for patch in patches.PATCHES]
    assert len(names) == len(set(names)) == 8
    assert all(len(patch.why) > 40 for patch in patches.PATCHES)


def test_install_puts_every_patch_in_place_and_twice_changes_nothing():
    patches.install()
    patches.install()
    assert patches.status() == {patch.name: True for patch in patches.PATCHES}
    assert RegexMessageHandler.process is payloads._process_trusted_only
    assert MessageProcessor._parse_message_with_graph is parse_cache._cached_parse
    assert parse_cache._parse is not parse_cache._cached_parse  # Rasa's own, kept: no loop
    assert Event.resolve_by_type is event_lookup.resolve_by_type
    assert rasa_actions.RemoteAction.run is action_calls._run_or_note_failure
    assert rasa_actions.DEFAULT_REQUEST_TIMEOUT < 300


def test_the_status_sees_a_patch_that_is_not_in_effect(monkeypatch):
    monkeypatch.setattr(RegexMessageHandler, "process", payloads._unpack)  # Rasa's own again
    assert patches.status()["trusted_payloads"] is False


def test_the_launcher_installs_them_before_rasa_starts(monkeypatch):
    seen = []
    monkeypatch.setattr(patches, "install", lambda: seen.append("install"))
    monkeypatch.setattr(launcher, "launch_token", lambda: "t")
    monkeypatch.setattr("sys.argv", ["launcher", "run"])
    launcher.main(lambda: seen.append("rasa"))
    assert seen == ["install", "rasa"]


def test_the_frozen_heap_keeps_the_tensorflow_guard_it_wraps(tmp_path, monkeypatch):
    """Both patches wrap Agent.load_model: the heap's wrapper must call the guard, not Rasa's own
    (it once did, and a process without TensorFlow tried to load a model that needs it)."""
    import pytest
    from rasa.core.agent import Agent

    from protheus.rasa_server import without_tensorflow
    from tests.rasa_server.test_without_tensorflow import fake_model

    patches.install()
    monkeypatch.setattr(without_tensorflow, "active", lambda: True)  # as in a replica started without it
    diet = fake_model(tmp_path / "diet.tar.gz", ["rasa.nlu.classifiers.diet_classifier.DIETClassifier"])
    with pytest.raises(RuntimeError, match="TENSORFLOW_SIEMPRE"):
        Agent().load_model(str(diet))
