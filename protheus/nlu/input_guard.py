"""Recognises messages that carry no words at all (blank, emoji, punctuation).

Classifiers still guess an intent for such input, sometimes confidently; this
component runs last and overrides them so the bot asks the customer to write
the question instead of answering a guideline nobody asked about.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

INVALID_INPUT_INTENT = "entrada_no_valida"


def has_words(text: str | None) -> bool:
    """True when the text contains at least one letter or digit."""
    return any(unicodedata.category(ch)[0] in ("L", "N") for ch in text or "")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class InputGuard(GraphComponent):
    """Sets `entrada_no_valida` with full confidence for messages without words."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"intent": INVALID_INPUT_INTENT}

    def __init__(self, config: dict[str, Any]) -> None:
        self._intent = config["intent"]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text is None or has_words(text):
                continue
            guarded = {"name": self._intent, "confidence": 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != self._intent]
            message.set(INTENT, guarded, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [guarded, *ranking], add_to_output=True)
        return messages
