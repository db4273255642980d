"""Serve a model that uses no TensorFlow without loading TensorFlow (issue 26, memory).

Rasa 3.6 imports TensorFlow in every process, also when the model's graph has no component
that needs it: about 430 MB of each replica's resident memory (measured: a replica that loaded
this project's model used 829 MB before its first turn, 455 MB without TensorFlow). This
project's pipeline needs none: the sentence encoder runs in numpy, the classifiers are
scikit-learn, the policies are Memoization and Rules.

Before Rasa is imported, the launcher reads the served model's graph (its metadata.json): when
every component it uses is one known to run without TensorFlow, an import hook answers every
`import tensorflow…` with an inert module whose attributes Rasa's modules can subclass and
decorate at import time and never use. A model pulled later that needs TensorFlow is refused
with a clear message (protheus.rasa_server.patches), and TENSORFLOW_SIEMPRE=sí turns this off.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import json
import logging
import sys
import tarfile
import types
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

STUBBED = ("tensorflow", "tensorflow_addons", "tensorflow_hub", "tensorflow_text", "tensorflow_probability", "keras")
# Rasa's components that run TensorFlow when they predict; any other rasa.* component does not.
NEEDS_TENSORFLOW = (
    "rasa.nlu.classifiers.diet_classifier",
    "rasa.nlu.selectors.response_selector",
    "rasa.core.policies.ted_policy",
    "rasa.core.policies.unexpected_intent_policy",
    "rasa.nlu.featurizers.dense_featurizer.lm_featurizer",
    "rasa.nlu.featurizers.dense_featurizer.convert_featurizer",
)
WITHOUT_TENSORFLOW_PREFIXES = ("rasa.", "protheus.")  # this project's components use none


class _Inert(type):
    """A class whose every attribute is itself: `tf.keras.layers.Layer` can be subclassed,
    `@tf.function` decorates (it returns the function), `tf.float32` is a value."""

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return Inert

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if len(args) == 1 and callable(args[0]) and not kwargs:
            return args[0]
        return Inert

    def __iter__(cls) -> Any:
        return iter(())

    def __bool__(cls) -> bool:
        return False

    def __or__(cls, other: Any) -> Any:
        return Inert

    __ror__ = __or__


class Inert(metaclass=_Inert):
    pass


class _InertModule(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return Inert


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if name.split(".")[0] in STUBBED:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = _InertModule(spec.name)
        module.__path__ = []
        module.__dict__["__version__"] = "0+sin-tensorflow"
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        """Nothing runs: the module answers every attribute with Inert."""


def model_components(model: Path) -> set[str]:
    """The classes the model's prediction graph uses (its metadata.json)."""
    with tarfile.open(model, "r:gz") as archive:
        for member in archive:
            if member.name.endswith("metadata.json"):
                handle = archive.extractfile(member)
                if handle is None:
                    break
                metadata = json.load(handle)
                return {node["uses"] for node in metadata["predict_schema"]["nodes"].values()}
    raise ValueError(f"{model} no tiene metadata.json")


def needs_tensorflow(components: set[str]) -> bool:
    return any(c.startswith(NEEDS_TENSORFLOW) or not c.startswith(WITHOUT_TENSORFLOW_PREFIXES) for c in components)


def active() -> bool:
    return any(isinstance(finder, _Finder) for finder in sys.meta_path)


def install_for(arguments: list[str], always_load: bool) -> bool:
    """Before Rasa is imported: `rasa run --model M …` of a model that needs no TensorFlow gets
    the inert modules. Returns whether they were installed."""
    if always_load or not arguments or arguments[0] != "run" or "--model" not in arguments:
        return False
    if "tensorflow" in sys.modules:
        return False
    model = Path(arguments[arguments.index("--model") + 1])
    try:
        if not model.is_file() or needs_tensorflow(model_components(model)):
            return False
    except (OSError, ValueError, KeyError, tarfile.TarError):
        return False  # cannot tell: Rasa as it is
    sys.meta_path.insert(0, _Finder())
    return True


def refuse_if_needed(model: Path) -> None:
    """A model pulled or loaded later, in a process without TensorFlow."""
    if active() and needs_tensorflow(model_components(model)):
        raise RuntimeError(
            f"El modelo {model.name} usa TensorFlow y esta réplica arrancó sin cargarlo (su modelo no lo "
            "necesitaba): reiníciela para servirlo, o arranque con TENSORFLOW_SIEMPRE=sí."
        )


_load_model: Any = None


def install_guard() -> None:
    """Agent.load_model refuses, with the message above, a model that needs TensorFlow in a process
    without it (Rasa then keeps the model it serves: «The previous model will stay loaded»)."""
    global _load_model
    from rasa.core.agent import Agent
    from rasa.model import get_local_model

    if _load_model is not None:
        return
    _load_model = Agent.load_model

    def load_model(self: Any, model_path: Any, fingerprint: Any = None) -> None:
        refuse_if_needed(Path(get_local_model(str(model_path))))
        _load_model(self, model_path, fingerprint)

    Agent.load_model = load_model


def guard_installed() -> bool:
    from rasa.core.agent import Agent

    return _load_model is not None and Agent.load_model is not _load_model
