"""The loaded model kept out of the garbage collector's full passes.

A replica holds about half a million objects once its model is loaded (spaCy, the encoder, the
policies), none of which is ever garbage; every full collection walked them all: about 0.3 s
with the event loop stopped, for every customer waiting on that replica. After a model loads,
the heap is frozen (gc.freeze: later collections skip it); before the next model loads it is
unfrozen, so the model being replaced is collected and not kept for ever.
Installed in Rasa's process by protheus.rasa_server.patches.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any

from rasa.core.agent import Agent

# What Agent.load_model was when this was installed: Rasa's, or another patch's wrapper of it
# (the TensorFlow guard, protheus.rasa_server.without_tensorflow), which must still run.
_wrapped: Callable[..., None] | None = None


def load_model(self: Agent, *args: Any, **kwargs: Any) -> None:
    gc.unfreeze()  # the model in use becomes collectable once it is replaced
    try:
        if _wrapped is None:
            raise RuntimeError("frozen_heap.load_model called before install()")
        _wrapped(self, *args, **kwargs)
    finally:
        gc.collect()
        gc.freeze()


def install() -> None:
    global _wrapped
    if not installed():
        _wrapped = Agent.load_model
        Agent.load_model = load_model


def installed() -> bool:
    return Agent.load_model is load_model
