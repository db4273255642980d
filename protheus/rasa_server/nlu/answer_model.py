"""The model of the answer reader: features of (pending question, message) and a logistic
regression over what the message is (protheus.common.answer_examples: the labels).

The question is an input: every word and every shape of the message (a code-shaped token, an
e-mail, a module, a question mark) also counts crossed with the question, so «no» under «¿se
reproduce en el estándar?» and «no» under «¿cuál es su código?» read apart. The multilingual
sentence embedding (the one the intent classifier uses) carries meaning to wordings the data
does not contain, and the probabilities of an intent model fitted on the NLU data say what kind
of request or question the message looks like. Pure numpy/scikit-learn, no Rasa: the component
(protheus.rasa_server.nlu.answer_reader), the evaluation and the tests share it. Stored as arrays and JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from protheus.common.text import fold
from protheus.support import answer_values
from protheus.support.error_log import looks_like_log

QUESTION_MARK = " qmark "
WORD = re.compile(r"\w+|qmark")
DEFAULTS: dict[str, Any] = {
    "C": 10.0,
    "char_weight": 1.0,
    "word_weight": 1.0,
    "dense_weight": 1.0,
    "intent_weight": 1.0,
    "cross_weight": 1.0,
    "max_iter": 4000,
}


def normalised(text: str) -> str:
    """Folded text, with every ¿ or ? as one word (a question back shows itself there)."""
    return re.sub(r"[¿?]+", QUESTION_MARK, fold(text or ""))


def _length(words: list[str]) -> str:
    size = len(words)
    return "1" if size <= 1 else "2-3" if size <= 3 else "4-8" if size <= 8 else "9+"


def shapes(text: str) -> list[str]:
    """What the message holds, by shape: the entities of an answer, a question mark, its length,
    how it starts."""
    words = WORD.findall(normalised(text))
    found = [f"largo={_length(words)}", f"empieza={words[0] if words else ''}"]
    checks = {
        "codigo": bool(answer_values.customer_codes(text)),
        "correo": answer_values.email(text) is not None,
        "modulo": answer_values.module(text) is not None,
        "otro_id": answer_values.mentions_other_id(text),
        "log": looks_like_log(text),
        "pregunta": "qmark" in words,
        "pregunta_al_final": (text or "").rstrip().endswith("?"),
    }
    return found + [name for name, present in checks.items() if present]


def crossed(question: str, text: str, shaped: list[str] | None = None) -> list[str]:
    """The message's words, bigrams and shapes (`shaped`, when already known), each crossed with
    the question it answers."""
    words = WORD.findall(normalised(text))
    grams = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    found = shapes(text) if shaped is None else shaped
    return [f"q={question}"] + [f"{question}|{g}" for g in [*grams, *(f"#{s}" for s in found)]]


def _identity(items: list[str]) -> list[str]:
    return items


@dataclass
class AnswerModel:
    """Reads (question, text, sentence vector, intent probabilities) into label probabilities."""

    config: dict[str, Any] = field(default_factory=lambda: dict(DEFAULTS))
    char: TfidfVectorizer = field(
        default_factory=lambda: TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    )
    word: TfidfVectorizer = field(
        default_factory=lambda: TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)
    )
    cross: CountVectorizer = field(default_factory=lambda: CountVectorizer(analyzer=_identity, binary=True))
    classifier: LogisticRegression | None = None
    # Which question a text answers, whatever question is pending: a correction names one.
    about: LogisticRegression | None = None
    dense_width: int = 0  # of the sentence vectors it was trained on

    # --- features ---------------------------------------------------------
    def _matrix(
        self, questions: Sequence[str], texts: Sequence[str], dense: np.ndarray, intents: np.ndarray
    ) -> csr_matrix:
        """One row per (question, text). A message read under every question repeats its text:
        its n-grams and shapes are computed once."""
        position = {t: i for i, t in enumerate(dict.fromkeys(texts))}
        unique, rows = list(position), [position[t] for t in texts]
        normal = [normalised(t) for t in unique]
        shaped = [shapes(t) for t in unique]
        cross = self.cross.transform([crossed(q, unique[r], shaped[r]) for q, r in zip(questions, rows, strict=True)])
        parts = [
            self.char.transform(normal)[rows] * self.config["char_weight"],
            self.word.transform(normal)[rows] * self.config["word_weight"],
            cross * self.config["cross_weight"],
            csr_matrix(dense * self.config["dense_weight"]),
            csr_matrix(intents * self.config["intent_weight"]),
        ]
        return hstack(parts).tocsr()

    def fit(
        self,
        questions: Sequence[str],
        texts: Sequence[str],
        labels: Sequence[str],
        dense: np.ndarray,
        intents: np.ndarray,
    ) -> AnswerModel:
        normal = [normalised(t) for t in texts]
        self.dense_width = dense.shape[1]
        self.char.fit(normal)
        self.word.fit(normal)
        self.cross.fit([crossed(q, t) for q, t in zip(questions, texts, strict=True)])
        self.classifier = LogisticRegression(C=self.config["C"], max_iter=self.config["max_iter"])
        self.classifier.fit(self._matrix(questions, texts, dense, intents), list(labels))
        return self

    def _about_matrix(self, texts: Sequence[str], dense: np.ndarray) -> csr_matrix:
        normal = [normalised(t) for t in texts]
        parts = [
            self.char.transform(normal),
            self.word.transform(normal),
            csr_matrix(dense * self.config["dense_weight"]),
        ]
        return hstack(parts).tocsr()

    def fit_about(self, texts: Sequence[str], dense: np.ndarray, questions: Sequence[str]) -> AnswerModel:
        """Learn which question a text answers, from answers and corrections (after fit)."""
        if len(set(questions)) >= 2:
            self.about = LogisticRegression(C=self.config["C"], max_iter=self.config["max_iter"])
            self.about.fit(self._about_matrix(texts, dense), list(questions))
        return self

    def predict_about(self, texts: Sequence[str], dense: np.ndarray) -> list[dict[str, float]]:
        if self.about is None or not len(texts):
            return [{} for _ in texts]
        rows = self.about.predict_proba(self._about_matrix(texts, dense))
        names = [str(c) for c in self.about.classes_]
        return [dict(zip(names, (float(p) for p in row), strict=True)) for row in rows]

    def predict(
        self, questions: Sequence[str], texts: Sequence[str], dense: np.ndarray, intents: np.ndarray
    ) -> list[dict[str, float]]:
        """For each (question, text), every label's probability."""
        if self.classifier is None or not len(questions):
            return [{} for _ in questions]
        rows = self.classifier.predict_proba(self._matrix(questions, texts, dense, intents))
        names = [str(c) for c in self.classifier.classes_]
        return [dict(zip(names, (float(p) for p in row), strict=True)) for row in rows]

    # --- persistence (arrays and JSON, no pickle) ---------------------------
    def save(self, directory: Path) -> None:
        assert self.classifier is not None
        state = {
            "config": self.config,
            "dense_width": self.dense_width,
            "char": self.char.vocabulary_,
            "word": self.word.vocabulary_,
            "cross": self.cross.vocabulary_,
        }
        state = json.loads(json.dumps(state, default=int))
        (directory / "answer_model.json").write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        about = {}
        if self.about is not None:
            about = {
                "about_coef": self.about.coef_,
                "about_intercept": self.about.intercept_,
                "about_classes": np.array(self.about.classes_, dtype=str),
            }
        np.savez(
            directory / "answer_model.npz",
            coef=self.classifier.coef_,
            intercept=self.classifier.intercept_,
            classes=np.array(self.classifier.classes_, dtype=str),
            idf_char=self.char.idf_,
            idf_word=self.word.idf_,
            **about,
        )

    @classmethod
    def load(cls, directory: Path) -> AnswerModel:
        state = json.loads((directory / "answer_model.json").read_text(encoding="utf-8"))
        arrays = np.load(directory / "answer_model.npz")
        model = cls(
            config={**DEFAULTS, **state["config"]},
            dense_width=int(state["dense_width"]),
        )
        for name in ("char", "word"):
            vectorizer = getattr(model, name)
            vectorizer.vocabulary_ = state[name]
            vectorizer.idf_ = arrays[f"idf_{name}"]
        model.cross.vocabulary_ = state["cross"]
        model.classifier = LogisticRegression(C=model.config["C"])
        model.classifier.coef_ = arrays["coef"]
        model.classifier.intercept_ = arrays["intercept"]
        model.classifier.classes_ = arrays["classes"]
        if "about_coef" in arrays:
            model.about = LogisticRegression()
            model.about.coef_ = arrays["about_coef"]
            model.about.intercept_ = arrays["about_intercept"]
            model.about.classes_ = arrays["about_classes"]
        return model


@dataclass
class IntentModel:
    """What kind of request or question a text looks like: a small logistic regression on the
    sentence vectors of the NLU data, fitted with the reader so that its training and its use
    read the same probabilities."""

    classifier: LogisticRegression | None = None

    def fit(self, dense: np.ndarray, intents: Sequence[str]) -> IntentModel:
        if len(set(intents)) >= 2:
            self.classifier = LogisticRegression(C=10.0, max_iter=2000).fit(dense, list(intents))
        return self

    @property
    def width(self) -> int:
        return 0 if self.classifier is None else len(self.classifier.classes_)

    def probabilities(self, dense: np.ndarray) -> np.ndarray:
        if self.classifier is None:
            return np.zeros((dense.shape[0], 0), dtype=np.float32)
        return self.classifier.predict_proba(dense).astype(np.float32)

    def save(self, directory: Path) -> None:
        if self.classifier is not None:
            np.savez(
                directory / "intent_model.npz",
                coef=self.classifier.coef_,
                intercept=self.classifier.intercept_,
                classes=np.array(self.classifier.classes_, dtype=str),
            )

    @classmethod
    def load(cls, directory: Path) -> IntentModel:
        path = directory / "intent_model.npz"
        if not path.exists():
            return cls()
        arrays = np.load(path)
        classifier = LogisticRegression()
        classifier.coef_, classifier.intercept_, classifier.classes_ = (
            arrays["coef"],
            arrays["intercept"],
            arrays["classes"],
        )
        return cls(classifier)
