"""Every change this project makes to Rasa's own code, installed on purpose and listed with why.

Rasa 3.6 has no setting for any of these: each patch replaces one of Rasa's functions in the Rasa
server's process. `install()` puts them all in place and is called by the launcher
(protheus.rasa_server.launcher) before Rasa starts, and again by the channels (protheus.rasa_server.channels, which
Rasa loads from credentials.yml), so that a Rasa started some other way (`rasa run` in a
deployment) has them too. Installing twice changes nothing. The Rasa server reports which are in
effect at GET /webhooks/rest/parches (with the Rasa token); tests/e2e checks it on the served Rasa.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from protheus.rasa_server import action_calls, event_lookup, frozen_heap, parse_cache, payloads, without_tensorflow


@dataclass(frozen=True)
class Patch:
    name: str
    why: str
    install: Callable[[], None]
    installed: Callable[[], bool]


PATCHES = (
    Patch(
        "trusted_payloads",
        "Rasa reads «/intent{…}» from anyone: a customer could skip a form or claim a customer code in one "
        "message. Only an offered button, the widget's first message or the Rasa token's holder is unpacked.",
        payloads.install,
        payloads.installed,
    ),
    Patch(
        "action_timeout",
        "Rasa waits 300 s for each custom action: a hung action server held the customer's turn for five "
        "minutes. ACTION_TIMEOUT seconds instead.",
        action_calls.install_timeout,
        action_calls.timeout_installed,
    ),
    Patch(
        "action_failures",
        "Rasa logs a failed action and carries on: the failure is noted where it happens so the channel tells "
        "the customer what was not registered; a failed session start runs as Rasa's own.",
        action_calls.install_failure_notes,
        action_calls.failure_notes_installed,
    ),
    Patch(
        "action_response_check",
        "Rasa checks its response schema against the meta-schema on every action call (a fifth of its time "
        "under load): checked once.",
        action_calls.install_response_check,
        action_calls.response_check_installed,
    ),
    Patch(
        "parse_cache",
        "Short answers («sí», «gracias», a code) are most turns of a form: their NLU result is remembered per model.",
        parse_cache.install,
        parse_cache.installed,
    ),
    Patch(
        "event_lookup",
        "Rasa rebuilds the list of event classes for every event it reads back (3 % of a replica's time): "
        "a table by name.",
        event_lookup.install,
        event_lookup.installed,
    ),
    Patch(
        "model_without_tensorflow",
        "Rasa imports TensorFlow (about 430 MB a replica) for models that never use it: a replica serving such "
        "a model runs without it (protheus.rasa_server.without_tensorflow), and refuses a later model that needs it.",
        without_tensorflow.install_guard,
        without_tensorflow.guard_installed,
    ),
    Patch(
        "frozen_model_heap",
        "Every full garbage collection walked the loaded model's half a million objects (about 0.3 s with the "
        "event loop stopped): the heap is frozen after a model loads and unfrozen before the next one.",
        frozen_heap.install,
        frozen_heap.installed,
    ),
)


def install() -> None:
    for patch in PATCHES:
        patch.install()


def status() -> dict[str, bool]:
    """Which patches are in effect in this process."""
    return {patch.name: patch.installed() for patch in PATCHES}
