"""Lemmas of the customer's words (spaCy, es_core_news_sm): «facturé», «facturamos» and
«facturación» meet in fewer forms, which helps the intent classifier on regional and
conjugated wording (docs/pipeline.md has the figure with and without)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

SPACY_MODEL = "es_core_news_sm"
BATCH_SIZE = 64


@lru_cache(maxsize=1)
def _pipeline() -> Any:
    import spacy

    return spacy.load(SPACY_MODEL, exclude=["parser", "ner"])


def lemmatize(texts: list[str]) -> list[str]:
    """Each text as its lower-case lemmas, space-separated."""
    return [" ".join(token.lemma_.lower() for token in doc) for doc in _pipeline().pipe(texts, batch_size=BATCH_SIZE)]
