"""The endpoints file every Rasa process (make run, make shell, tests) is started with."""

import stat

import yaml

from protheus.services import endpoints_file
from protheus.settings import Ports


def test_endpoints_put_the_tracker_store_on_the_database_and_stay_private():
    path = endpoints_file(Ports(rasa=19005, actions=19055), "postgresql://soporte:secreto@db/protheus")
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert config["tracker_store"] == {
        "type": "protheus.tracker_store.ObservedSQLTrackerStore",
        "url": "postgresql://soporte:secreto@db/protheus?connect_timeout=5&options=-c+statement_timeout%3D15000",
    }
    assert config["action_endpoint"]["url"] == "http://127.0.0.1:19055/webhook"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # the URL may carry a password
    path.unlink()


def test_the_tracker_store_class_loads_from_its_path():
    from rasa.shared.utils.common import class_from_module_path

    from protheus.tracker_store import ObservedSQLTrackerStore

    assert class_from_module_path("protheus.tracker_store.ObservedSQLTrackerStore") is ObservedSQLTrackerStore
