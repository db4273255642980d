"""The endpoints file every Rasa process (make run, make shell, tests) is started with."""

import stat
import sys

import yaml

from protheus.common.paths import PROJECT
from protheus.common.settings import ACTION_SECRET_HEADER, Ports
from protheus.supervisor.processes import LOG_DIR, _spawn, endpoints_file


def test_endpoints_put_the_tracker_store_on_the_database_and_stay_private():
    path = endpoints_file(Ports(rasa=19005, actions=19055), "postgresql://soporte:secreto@db/protheus")
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert config["tracker_store"] == {
        "type": "protheus.rasa_server.tracker_store.ObservedSQLTrackerStore",
        "url": "postgresql://soporte:secreto@db/protheus?connect_timeout=5&options=-c+statement_timeout%3D15000",
    }
    assert config["action_endpoint"]["url"] == "http://127.0.0.1:19055/webhook"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # the URL may carry a password
    path.unlink()


def test_the_tracker_store_class_loads_from_its_path():
    from rasa.shared.utils.common import class_from_module_path

    from protheus.rasa_server.tracker_store import ObservedSQLTrackerStore

    assert (
        class_from_module_path("protheus.rasa_server.tracker_store.ObservedSQLTrackerStore") is ObservedSQLTrackerStore
    )


def test_rasa_shows_the_action_server_its_secret():
    from rasa.utils.endpoints import read_endpoint_config

    path = endpoints_file(Ports(rasa=19006, actions=19056), "sqlite://", secret="secreto-de-prueba")
    try:
        endpoint = read_endpoint_config(str(path), "action_endpoint")
    finally:
        path.unlink()
    assert endpoint is not None and endpoint.headers == {ACTION_SECRET_HEADER: "secreto-de-prueba"}


def test_spawned_servers_create_owner_only_files_and_log_privately(tmp_path):
    """The umask the launcher gives them: the SQLite database, status files, whatever they write."""
    log = LOG_DIR / "prueba-19007.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("de antes", encoding="utf-8")
    log.chmod(0o644)
    script = "import sqlite3; sqlite3.connect('protheus.db').execute('create table t (a)'); print('hecho')"
    service = _spawn("prueba", 19007, [sys.executable, "-c", script], "", cwd=tmp_path)
    try:
        assert service.process.wait(timeout=30) == 0
        assert service.log.read_text(encoding="utf-8") == "hecho\n"
        assert stat.S_IMODE((tmp_path / "protheus.db").stat().st_mode) == 0o600
        assert stat.S_IMODE(service.log.stat().st_mode) == 0o600
        assert stat.S_IMODE(LOG_DIR.stat().st_mode) == 0o700 and stat.S_IMODE(PROJECT.state.stat().st_mode) == 0o700
    finally:
        service.log.unlink(missing_ok=True)
