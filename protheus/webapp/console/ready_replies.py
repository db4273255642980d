"""The guideline's passages as ready replies: an agent answering a hand-off can quote the same
text the bot would, word for word, instead of retyping the service guideline (OINF0011).

They are read from the domain responses that quote the guideline (one `utter_<intent>` per
intent) and titled with the intent's Spanish label in routing.yml, so a trainer who changes a
reply or a label changes what the agents are offered too: no copy of the texts lives in Python.
Links, if a reply ever has one, stay as written (an agent's reply is sent as plain text).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from protheus.common.paths import PROJECT
from protheus.common.settings import support_contact
from protheus.support.routing import routing_table

# The domain files whose replies quote the guideline (the others are conversation and triage).
GUIDELINE_RESPONSE_FILES = (
    "responses_estandar.yml",
    "responses_fuera_alcance.yml",
    "responses_prime.yml",
    "responses_consultoria.yml",
)
SUPPORT_CONTACT_SLOT = "{correo_soporte}"  # filled by the bot from its slot, here from the setting


@dataclass(frozen=True)
class ReadyReply:
    intent: str
    title: str
    text: str


@lru_cache(maxsize=1)
def _guideline_texts(domain: Path = PROJECT.domain) -> tuple[ReadyReply, ...]:
    """The first variant of each guideline reply, in the routing table's order, as written."""
    responses: dict[str, list[dict]] = {}
    for name in GUIDELINE_RESPONSE_FILES:
        responses.update(yaml.safe_load((domain / name).read_text(encoding="utf-8"))["responses"])
    table = routing_table()
    return tuple(
        ReadyReply(intent, table.label(intent) or intent, responses[f"utter_{intent}"][0]["text"])
        for intent in table.intents()
        if responses.get(f"utter_{intent}")
    )


def guideline_replies() -> tuple[ReadyReply, ...]:
    """The guideline replies with the support contact filled in, as the customer would read them."""
    contact = support_contact()
    return tuple(
        ReadyReply(reply.intent, reply.title, reply.text.replace(SUPPORT_CONTACT_SLOT, contact))
        for reply in _guideline_texts()
    )
