"""One-release shims: the dotted paths that models and deployed configurations name, from
before the modules moved into one package per program (issue 23).

A model trained before the move records its components as `protheus.nlu.<module>.<Class>`
(config.yml, the model's graph), and a deployed `credentials.yml` or `endpoints.yml` names
`protheus.channels.…`, `protheus.lock_store.…`: rolling back to an older model, or serving
with an older configuration, must still load. Each old path is an alias of the module that
now holds the class; nothing in the project imports an old path (import-linter checks it).
Remove with the next release.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
from types import ModuleType

MOVED = {
    "protheus.nlu": "protheus.rasa_server.nlu",
    "protheus.nlu.answer_reader": "protheus.rasa_server.nlu.answer_reader",
    "protheus.nlu.input_guard": "protheus.rasa_server.nlu.input_guard",
    "protheus.nlu.sentence_encoder": "protheus.rasa_server.nlu.sentence_encoder",
    "protheus.nlu.tfidf_classifier": "protheus.rasa_server.nlu.tfidf_classifier",
    "protheus.channels": "protheus.rasa_server.channels",
    "protheus.lock_store": "protheus.rasa_server.lock_store",
    "protheus.tracker_store": "protheus.rasa_server.tracker_store",
    "protheus.event_broker": "protheus.rasa_server.event_broker",
}


class _OldPaths(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports an old path as the module that replaced it (the same module object, so a
    class named either way is the same class)."""

    def find_spec(
        self, fullname: str, path: object = None, target: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in MOVED:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=fullname == "protheus.nlu")

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(MOVED[spec.name])

    def exec_module(self, module: ModuleType) -> None:
        """The module ran when it was imported by its own name."""


def install() -> None:
    if not any(isinstance(finder, _OldPaths) for finder in sys.meta_path):
        sys.meta_path.insert(0, _OldPaths())
