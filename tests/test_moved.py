"""One-release shims (protheus.moved): a model trained, or a configuration written, before the
modules moved into one package per program names its classes by the old dotted paths; they
must still load, as the very same classes."""

import pytest
from rasa.engine.graph import GraphSchema
from rasa.shared.utils.common import class_from_module_path

from protheus.moved import MOVED
from protheus.rasa_server.channels import GuardedRestInput, GuardedSocketIOInput
from protheus.rasa_server.event_broker import PatientPikaEventBroker
from protheus.rasa_server.lock_store import SequencedRedisLockStore
from protheus.rasa_server.nlu.answer_reader import AnswerReader
from protheus.rasa_server.nlu.input_guard import InputGuard
from protheus.rasa_server.nlu.sentence_encoder import SentenceEncoderFeaturizer
from protheus.rasa_server.nlu.tfidf_classifier import TfidfIntentClassifier
from protheus.rasa_server.tracker_store import ObservedSQLTrackerStore

OLD_NAMES = {
    # config.yml and a model's graph before the move
    "protheus.nlu.answer_reader.AnswerReader": AnswerReader,
    "protheus.nlu.input_guard.InputGuard": InputGuard,
    "protheus.nlu.sentence_encoder.SentenceEncoderFeaturizer": SentenceEncoderFeaturizer,
    "protheus.nlu.tfidf_classifier.TfidfIntentClassifier": TfidfIntentClassifier,
    # credentials.yml and endpoints.yml of a deployment written before the move
    "protheus.channels.GuardedRestInput": GuardedRestInput,
    "protheus.channels.GuardedSocketIOInput": GuardedSocketIOInput,
    "protheus.lock_store.SequencedRedisLockStore": SequencedRedisLockStore,
    "protheus.tracker_store.ObservedSQLTrackerStore": ObservedSQLTrackerStore,
    "protheus.event_broker.PatientPikaEventBroker": PatientPikaEventBroker,
}


@pytest.mark.parametrize("old", sorted(OLD_NAMES))
def test_an_old_dotted_path_loads_the_same_class(old):
    assert class_from_module_path(old) is OLD_NAMES[old]


def test_a_model_graph_written_before_the_move_loads():
    # The shape Rasa stores in a model's metadata.json (GraphSchema.as_dict), old names.
    node = {"needs": {}, "constructor_name": "load", "fn": "process", "config": {}, "eager": True}
    node |= {"is_target": False, "is_input": False, "resource": None}
    nodes = {"reader": {**node, "uses": "protheus.nlu.answer_reader.AnswerReader"}}
    nodes["guard"] = {**node, "uses": "protheus.nlu.input_guard.InputGuard"}
    schema = GraphSchema.from_dict({"nodes": nodes})
    assert schema.nodes["reader"].uses is AnswerReader and schema.nodes["guard"].uses is InputGuard


def test_every_shim_points_at_a_module_that_exists_and_nothing_else_is_aliased():
    import importlib

    for old, new in MOVED.items():
        assert importlib.import_module(old) is importlib.import_module(new), old
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("protheus.nlu.no_such_module")
