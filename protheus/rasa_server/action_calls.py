"""How Rasa calls the action server: a time limit, failures noted where they happen, and the
response checked against Rasa's schema without checking the schema itself every time.

Installed in Rasa's process by protheus.rasa_server.patches, before any action runs.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

import rasa.core.actions.action as rasa_actions
from jsonschema import ValidationError
from jsonschema.validators import validator_for

from protheus.common.settings import action_timeout

logger = logging.getLogger(__name__)

# Conversations whose last turn had an action the action server did not run (not reachable,
# failed or too slow): noted where the call fails, read by the guard once the turn is over.
_FAILED_ACTIONS: dict[str, str] = {}
_remote_run = rasa_actions.RemoteAction.run


async def _run_or_note_failure(
    self: Any, output_channel: Any, nlg: Any, tracker: Any, domain: Any, *args: Any, **kwargs: Any
) -> list[Any]:
    """RemoteAction.run, noting a failure for the guard. A session start that the action server
    could not run is done as Rasa's own, so that the conversation's rules still apply."""
    try:
        if tracker.sender_id in _FAILED_ACTIONS:  # failed once this turn: do not wait again
            raise RuntimeError(f"action server failed earlier in this turn ({_FAILED_ACTIONS[tracker.sender_id]})")
        return await _remote_run(self, output_channel, nlg, tracker, domain, *args, **kwargs)
    except rasa_actions.ActionExecutionRejection:
        raise  # a form refusing a value: not a failure
    except Exception:
        _FAILED_ACTIONS.setdefault(tracker.sender_id, self.name())
        logger.error("The action server did not run %s for %s", self.name(), tracker.sender_id)
        if self.name() == rasa_actions.ACTION_SESSION_START_NAME:
            return await rasa_actions.ActionSessionStart().run(output_channel, nlg, tracker, domain)
        raise


def failed_action(sender_id: str) -> str | None:
    """The action the action server did not run in this conversation's last turn (forgotten once read)."""
    return _FAILED_ACTIONS.pop(sender_id, None)


@functools.cache
def _response_validator() -> Any:
    schema = rasa_actions.RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once: Rasa's jsonschema.validate checks it on every call
    return cls(schema)


def validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result with the validator built once. Checking Rasa's event
    schema against the meta-schema took a fifth of the Rasa process's time under load (py-spy)."""
    try:
        _response_validator().validate(result)
        return True
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response from the "
            "Action endpoint is valid."
        )
        raise


def install_timeout() -> None:
    # Rasa 3.6 waits DEFAULT_REQUEST_TIMEOUT (300 s) for every custom action and offers no setting:
    # a hung action server held the customer's turn for five minutes.
    rasa_actions.DEFAULT_REQUEST_TIMEOUT = action_timeout()


def timeout_installed() -> bool:
    return rasa_actions.DEFAULT_REQUEST_TIMEOUT == action_timeout()


def install_failure_notes() -> None:
    rasa_actions.RemoteAction.run = _run_or_note_failure


def failure_notes_installed() -> bool:
    return rasa_actions.RemoteAction.run is _run_or_note_failure


def install_response_check() -> None:
    rasa_actions.RemoteAction._validate_action_result = validate_action_result


def response_check_installed() -> bool:
    return rasa_actions.RemoteAction._validate_action_result is validate_action_result
