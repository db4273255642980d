"""Intent classifier: logistic regression on TF-IDF n-grams plus dense sentence features.

Measured on evaluation/nlu (docs/pipeline.md): TF-IDF with sublinear counts, accent
stripping and l2 normalisation separates these intents far better than DIET on
raw counts, trains in seconds and, joined with the multilingual USE embedding
(SentenceEncoderFeaturizer), generalises to wordings the data does not contain.
The model is stored as plain arrays and JSON (no pickle).
"""

from __future__ import annotations

import json
import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from protheus.rasa_server.nlu.lemmas import lemmatize
from protheus.support.customer_words import OTHER_REQUEST, classification_text, request_parts

logger = logging.getLogger(__name__)


def _vectorizers(config: dict[str, Any]) -> dict[str, TfidfVectorizer]:
    common = dict(sublinear_tf=True, strip_accents="unicode", lowercase=True)
    found = {
        "char": TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(config["char_ngram"]), **common),
        "word": TfidfVectorizer(analyzer="word", ngram_range=tuple(config["word_ngram"]), **common),
    }
    if config["lemma_weight"] > 0:  # word n-grams of spaCy's lemmas
        found[LEMMA] = TfidfVectorizer(analyzer="word", ngram_range=tuple(config["word_ngram"]), **common)
    return found


LEMMA = "lemma"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TfidfIntentClassifier(IntentClassifier, GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "C": 30.0,
            "char_ngram": [2, 5],
            "word_ngram": [1, 2],
            "dense_weight": 1.0,  # scale of the dense sentence features next to the TF-IDF ones
            "lemma_weight": 0.0,  # scale of the lemma n-grams (0: not used)
            "read_request": True,  # classify the request (protheus.support.customer_words), not the raw text
            "second_request_confidence": 0.5,  # a second request is reported from this confidence on
            "max_iter": 3000,
            "ranking_length": 10,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vectorizers: dict[str, TfidfVectorizer] | None = None,
        classifier: LogisticRegression | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._vectorizers = vectorizers or _vectorizers(self._config)
        self._classifier = classifier

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> TfidfIntentClassifier:
        return cls(config, model_storage, resource)

    # --- features ---------------------------------------------------------
    def _dense(self, messages: list[Message]) -> csr_matrix | None:
        rows = []
        for message in messages:
            _, sentence = message.get_dense_features(TEXT)
            rows.append(sentence.features.reshape(-1) if sentence is not None else None)
        width = next((r.shape[0] for r in rows if r is not None), 0)
        if width == 0:
            return None
        matrix = np.vstack([r if r is not None else np.zeros(width, dtype=np.float32) for r in rows])
        return csr_matrix(matrix * self._config["dense_weight"])

    def _text(self, message: Message) -> str:
        text = message.get(TEXT) or ""
        return classification_text(text) if self._config["read_request"] else text

    def _inputs(self, texts: list[str]) -> dict[str, list[str]]:
        """What each vectorizer reads: the text, or its lemmas."""
        lemmas = lemmatize(texts) if LEMMA in self._vectorizers else []
        return {name: lemmas if name == LEMMA else texts for name in self._vectorizers}

    def _sparse(self, texts: list[str]) -> list[csr_matrix]:
        """The TF-IDF blocks: character and word n-grams, and lemma n-grams with their weight."""
        inputs = self._inputs(texts)
        weights = {LEMMA: self._config["lemma_weight"]}
        return [v.transform(inputs[name]) * weights.get(name, 1.0) for name, v in self._vectorizers.items()]

    def _features(self, messages: list[Message]) -> csr_matrix:
        parts = self._sparse([self._text(m) for m in messages])
        dense = self._dense(messages)
        if dense is not None:
            parts.append(dense)
        return hstack(parts).tocsr()

    # --- training ---------------------------------------------------------
    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        if not examples:
            logger.debug("No intent examples: the classifier is not trained.")
            return self._resource
        inputs = self._inputs([self._text(m) for m in examples])
        for name, vectorizer in self._vectorizers.items():
            vectorizer.fit(inputs[name])
        self._classifier = LogisticRegression(C=self._config["C"], max_iter=self._config["max_iter"])
        self._classifier.fit(self._features(examples), [m.get(INTENT) for m in examples])
        self.persist()
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    # --- prediction -------------------------------------------------------
    def process(self, messages: list[Message]) -> list[Message]:
        todo, classifier = [], self._classifier
        for message in messages:
            if (message.get(TEXT) or "").strip() and classifier is not None:
                todo.append(message)
            else:  # as DIET does: no intent for a blank message (later components expect the key)
                message.set(INTENT, {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        if not todo or classifier is None:
            return messages
        probabilities = classifier.predict_proba(self._features(todo))
        names = classifier.classes_
        for message, row in zip(todo, probabilities, strict=True):
            order = np.argsort(-row)[: self._config["ranking_length"]]
            ranking = [{"name": str(names[i]), "confidence": float(row[i])} for i in order]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            other = self._other_request(message, str(names[order[0]]))
            if other is not None:
                message.set(OTHER_REQUEST, other, add_to_output=True)
        return messages

    def _other_request(self, message: Message, answered: str) -> dict[str, Any] | None:
        """A confident request in another part of the message with another intent than the
        one answered («¿qué es prime? y además necesito una capacitación»). The parts are read
        without the sentence embedding (it belongs to the whole message)."""
        parts = request_parts(self._text(message)) if self._config["read_request"] else []
        if len(parts) < 2 or self._classifier is None:
            return None
        probabilities = self._classifier.predict_proba(self._part_features(parts))
        names = self._classifier.classes_
        found = [(str(names[row.argmax()]), float(row.max())) for row in probabilities]
        confident = [
            (name, confidence)
            for name, confidence in found
            if confidence >= self._config["second_request_confidence"] and name != answered
        ]
        return {"name": confident[0][0], "confidence": confident[0][1]} if confident else None

    def _part_features(self, texts: list[str]) -> csr_matrix:
        parts = self._sparse(texts)
        assert self._classifier is not None
        missing = self._classifier.coef_.shape[1] - sum(part.shape[1] for part in parts)
        if missing > 0:  # the dense columns, empty
            parts.append(csr_matrix((len(texts), missing)))
        return hstack(parts).tocsr()

    # --- persistence (arrays and JSON, no pickle) ---------------------------
    def persist(self) -> None:
        if self._classifier is None:
            return  # nothing was trained (no examples)
        with self._model_storage.write_to(self._resource) as directory:
            state = {
                name: {"vocabulary": {k: int(v) for k, v in vec.vocabulary_.items()}}
                for name, vec in self._vectorizers.items()
            }
            (directory / "vectorizers.json").write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
            np.savez(
                directory / "arrays.npz",
                coef=self._classifier.coef_,
                intercept=self._classifier.intercept_,
                classes=np.array(self._classifier.classes_, dtype=str),
                **{f"idf_{name}": vec.idf_ for name, vec in self._vectorizers.items()},
            )

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TfidfIntentClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                state = json.loads((directory / "vectorizers.json").read_text(encoding="utf-8"))
                arrays = np.load(directory / "arrays.npz")
                merged = {**cls.get_default_config(), **config}
                vectorizers = _vectorizers(merged)
                for name, vec in vectorizers.items():
                    vec.vocabulary_ = state[name]["vocabulary"]
                    vec.idf_ = arrays[f"idf_{name}"]
                classifier = LogisticRegression(C=merged["C"])
                classifier.coef_ = arrays["coef"]
                classifier.intercept_ = arrays["intercept"]
                classifier.classes_ = arrays["classes"]
                if LEMMA in vectorizers:
                    lemmatize(["hola"])  # loads spaCy now: the first customer would wait seconds
                return cls(config, model_storage, resource, vectorizers, classifier)
        except (ValueError, FileNotFoundError, KeyError):
            logger.warning("No trained intent classifier in the model: it will not predict intents.")
            return cls(config, model_storage, resource)
