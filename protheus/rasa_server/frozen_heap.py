"""The loaded model kept out of the garbage collector's full passes.

A replica holds about half a million objects once its model is loaded (spaCy, the encoder, the
policies), none of which is ever garbage; every full collection walked them all: about 0.3 s
with the event loop stopped, for every customer waiting on that replica. After a model loads,
the heap is frozen (gc.freeze: later collections skip it); before the next model loads it is
unfrozen, so the model being replaced is collected and not kept for ever.
Installed in Rasa's process by protheus.rasa_server.patches.
"""

from __future__ import annotations

import functools
import gc
from typing import Any

from rasa.core.agent import Agent

_load_model = Agent.load_model


@functools.wraps(_load_model)
def load_model(self: Agent, *args: Any, **kwargs: Any) -> None:
    gc.unfreeze()  # the model in use becomes collectable once it is replaced
    try:
        _load_model(self, *args, **kwargs)
    finally:
        gc.collect()
        gc.freeze()


def install() -> None:
    Agent.load_model = load_model


def installed() -> bool:
    return Agent.load_model is load_model
