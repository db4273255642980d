"""Rasa's patches are in effect in the Rasa server as `make run` starts it (protheus.rasa_server.patches)."""

import pytest
import requests

from protheus.rasa_server.patches import PATCHES

pytestmark = pytest.mark.server


def test_every_patch_is_in_effect_in_the_served_rasa(bot):
    url = f"{bot.base}/webhooks/rest/parches"
    assert requests.get(url, timeout=10).status_code == 401  # only with the Rasa token
    found = requests.get(url, params={"token": bot.token}, timeout=10).json()["parches"]
    assert found == {patch.name: True for patch in PATCHES}
