"""Recognises messages the classifiers cannot read: no words at all (blank, emoji,
punctuation), or written wholly in Portuguese or English (protheus.rasa_server.nlu.language).

Classifiers still guess an intent for such input, sometimes confidently; this
component runs last and overrides them, so the bot asks the customer to write the
question (in Spanish) instead of answering a guideline nobody asked about.
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

from protheus.rasa_server.nlu.language import foreign_language

INVALID_INPUT_INTENT = "entrada_no_valida"
FOREIGN_LANGUAGE_INTENT = "idioma_no_soportado"


def has_words(text: str | None) -> bool:
    """True when the text contains at least one letter or digit."""
    return any(unicodedata.category(ch)[0] in ("L", "N") for ch in text or "")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class InputGuard(GraphComponent):
    """Sets `entrada_no_valida` for messages without words and `idioma_no_soportado` for
    messages wholly in Portuguese or English, with full confidence."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"intent": INVALID_INPUT_INTENT, "foreign_intent": FOREIGN_LANGUAGE_INTENT, "detect_language": True}

    def __init__(self, config: dict[str, Any]) -> None:
        self._intent = config["intent"]
        self._foreign_intent = config["foreign_intent"]
        self._detect_language = config["detect_language"]
        if self._detect_language:
            foreign_language("hola")  # load the language models now, not on a customer's message

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(config)

    def _override(self, text: str | None) -> str | None:
        if text is None:
            return None
        if not has_words(text):
            return self._intent
        if self._detect_language and foreign_language(text):
            return self._foreign_intent
        return None

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = self._override(message.get(TEXT))
            if intent is None:
                continue
            guarded = {"name": intent, "confidence": 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
            message.set(INTENT, guarded, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [guarded, *ranking], add_to_output=True)
        return messages
