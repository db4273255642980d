"""The serving profile: what N replicas need, the endpoints they get, nginx in front of them."""

import shutil
import subprocess

import pytest

from protheus.common.settings import Ports
from protheus.supervisor.serving import Profile, endpoint_entries, nginx_config, problem, replica_ports

PG = "postgresql://postgres@127.0.0.1:5432/protheus"


def test_one_replica_needs_nothing_more():
    assert problem(Profile(1, "sqlite:///x.db", "", "")) is None


@pytest.mark.parametrize(
    ("database", "lock", "missing"),
    [
        ("sqlite:///x.db", "redis://127.0.0.1:6379/1", ["DATABASE_URL"]),
        (PG, "", ["LOCK_STORE_URL"]),
        ("sqlite:///x.db", "", ["DATABASE_URL", "LOCK_STORE_URL"]),
    ],
)
def test_two_replicas_are_refused_without_a_server_database_and_a_shared_lock(database, lock, missing):
    said = problem(Profile(2, database, lock, ""))
    assert said.startswith("RASA_REPLICAS=2 necesita:")
    assert all(name in said for name in missing) and ("se pierden" in said) == ("LOCK_STORE_URL" in missing)
    assert problem(Profile(2, PG, "redis://127.0.0.1:6379/1", "")) is None


def test_endpoints_of_the_profile():
    entries = endpoint_entries(Profile(2, PG, "redis://127.0.0.1:6379/1", "amqp://user:clave@mq:5673/"))
    assert entries["lock_store"] == {
        "type": "protheus.rasa_server.lock_store.SequencedRedisLockStore",
        "url": "redis://127.0.0.1:6379/1",
    }
    broker = entries["event_broker"]
    assert (broker["type"], broker["url"], broker["port"], broker["username"], broker["password"]) == (
        "protheus.rasa_server.event_broker.PatientPikaEventBroker",
        "mq",
        5673,
        "user",
        "clave",
    )
    assert endpoint_entries(Profile(1, "sqlite:///x.db", "", "")) == {}


def test_replicas_listen_apart_from_the_public_ports():
    replicas = replica_ports(Ports(5005, 5055, 8080, "0.0.0.0"), 2)
    assert [(r.rasa, r.actions, r.host) for r in replicas] == [(5105, 5155, "127.0.0.1"), (5106, 5156, "127.0.0.1")]


def test_nginx_accepts_the_configuration(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not shutil.os.path.exists(nginx):
        pytest.skip("nginx no está instalado (make run lo instala)")
    public = Ports(5005, 5055, 8080, "127.0.0.1")
    text = nginx_config(public, replica_ports(public, 3), str(tmp_path))
    assert text.count("server 127.0.0.1:51") == 6 and "hash $remote_addr$http_user_agent consistent" in text
    assert "proxy_next_upstream error timeout http_502 http_503 non_idempotent" in text
    assert "proxy_set_header X-Request-Id $request_id" in text  # a retried POST keeps its name
    assert text.count("proxy_set_header X-Real-IP $remote_addr") == 2  # the address the rate limits count
    config = tmp_path / "nginx.conf"
    config.write_text(text, encoding="utf-8")
    checked = subprocess.run([nginx, "-t", "-c", str(config), "-p", str(tmp_path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_nginx_keeps_bodies_in_memory(tmp_path):
    """Started as root, nginx's workers are another user: they cannot write temporary files in the
    owner-only .state, so no request or answer may need one."""
    text = nginx_config(Ports(5005, 5055, 8080, "127.0.0.1"), replica_ports(Ports(), 2), str(tmp_path))
    assert "client_max_body_size 2m;" in text and "client_body_buffer_size 2m;" in text
    assert "proxy_max_temp_file_size 0;" in text


def test_the_lock_store_it_names_is_ours_and_exists():
    import importlib

    from protheus.supervisor.serving import LOCK_STORE_CLASS

    module, name = LOCK_STORE_CLASS.rsplit(".", 1)
    assert hasattr(importlib.import_module(module), name)
