"""How Rasa calls the action server: the response check keeps Rasa's verdicts."""

import pytest
import rasa.core.actions.action as rasa_actions
from jsonschema import ValidationError, validate

from protheus.rasa_server import action_calls, patches

patches.install()  # as in the Rasa server's process


@pytest.mark.parametrize(
    "response, valid",
    [
        ({"events": [{"event": "slot", "name": "codigo_cliente", "value": "STD01"}], "responses": []}, True),
        ({"events": [], "responses": [{"text": "hola"}]}, True),
        ({"events": [{"event": "no_existe"}]}, False),
        ({"events": "no es una lista"}, False),
        ({"events": [{"event": "slot"}]}, False),  # a slot event without a name
    ],
)
def test_the_response_check_gives_rasas_verdict(response, valid):
    assert rasa_actions.RemoteAction._validate_action_result is action_calls.validate_action_result
    schema = rasa_actions.RemoteAction.action_response_format_spec()
    try:
        validate(response, schema)
        rasa_verdict = True
    except ValidationError:
        rasa_verdict = False
    assert rasa_verdict is valid
    if valid:
        assert action_calls.validate_action_result(None, response) is True
    else:
        with pytest.raises(ValidationError, match="Failed to validate Action server response"):
            action_calls.validate_action_result(None, response)
