"""The loaded model is frozen out of full garbage collections, and a replaced model is freed."""

import gc
import weakref

import pytest
from rasa.core.agent import Agent

from protheus.rasa_server import frozen_heap


class Model:
    """Stands for a loaded model: objects that reference each other (only gc frees a cycle)."""

    def __init__(self) -> None:
        self.parts = [{"owner": self} for _ in range(1000)]


@pytest.fixture
def agent(monkeypatch):
    def load(self, model_path, fingerprint=None):
        self.processor = Model()

    monkeypatch.setattr(frozen_heap, "_wrapped", load)
    monkeypatch.setattr(Agent, "load_model", frozen_heap.load_model)
    yield Agent()
    gc.unfreeze()


def test_after_a_model_loads_full_collections_skip_it(agent):
    gc.unfreeze()
    agent.load_model("modelo-1.tar.gz")
    assert gc.get_freeze_count() > 1000
    assert not any(part is agent.processor.parts[0] for part in gc.get_objects())


def test_the_model_it_replaces_is_collected_not_kept_frozen(agent):
    agent.load_model("modelo-1.tar.gz")
    first = weakref.ref(agent.processor)
    agent.load_model("modelo-2.tar.gz")
    assert first() is None
    assert agent.processor is not None


def test_a_model_that_fails_to_load_leaves_the_heap_frozen_again(agent, monkeypatch):
    def failing(self, model_path, fingerprint=None):
        raise ValueError("modelo dañado")

    monkeypatch.setattr(frozen_heap, "_wrapped", failing)
    with pytest.raises(ValueError):
        agent.load_model("modelo-roto.tar.gz")
    assert gc.get_freeze_count() > 0
