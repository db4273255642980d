"""The commonest words of a language (spaCy's stop-word lists), read from spaCy's own files
without importing spaCy: the action server and the web app read pasted logs too, and importing
spaCy there would load TensorFlow for a word list."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path


@cache
def stop_words(language: str) -> frozenset[str]:
    """spaCy's stop words for a language code ("es", "en")."""
    spacy = importlib.util.find_spec("spacy")
    if spacy is None or not spacy.submodule_search_locations:
        raise RuntimeError("spaCy no está instalado: ejecute make setup")
    path = Path(next(iter(spacy.submodule_search_locations))) / "lang" / language / "stop_words.py"
    spec = importlib.util.spec_from_file_location(f"_stop_words_{language}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(module.STOP_WORDS)
