"""The serving profile: one process of each kind (the embedded default), or N Rasa replicas
with their action servers behind nginx on the public port (PRODUCT.md, production profile).

Replicas share what a conversation needs: the tracker store (DATABASE_URL on a server
database), the lock store (LOCK_STORE_URL, protheus.rasa_server.lock_store) and, when set, the event
broker (EVENT_BROKER_URL). socket.io keeps its session in one Rasa process, so nginx sends
each browser to the same replica; REST and the HTTP API are spread over all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import yaml

from protheus.common.event_stream import BrokerAddress
from protheus.common.paths import PROJECT
from protheus.common.settings import (
    ACTION_SECRET_HEADER,
    DEFAULT_EVENT_QUEUE,
    Ports,
    action_secret,
    database_url,
    ensure_secrets,
    event_broker_url,
    event_queue,
    lock_store_url,
    rasa_replicas,
)

REPLICA_PORT_OFFSET = 100  # replica i listens on the public port + 100 + i
# Named, not imported: the supervisor does not load Rasa to write a line of its configuration.
LOCK_STORE_CLASS = "protheus.rasa_server.lock_store.SequencedRedisLockStore"
TRACKER_STORE_CLASS = "protheus.rasa_server.tracker_store.ObservedSQLTrackerStore"


# The programs, each started with `python -m <package>` (README, «Cómo está organizado»).
PROGRAMS = {
    "rasa": "protheus.rasa_server",
    "actions": "protheus.action_server",
    "web": "protheus.webapp",
    "trainer": "protheus.trainer",
}


def program(name: str, *arguments: str, python: str = "python") -> list[str]:
    """The command line of one of the programs."""
    return [python, "-m", PROGRAMS[name], *arguments]


def lock_store_endpoint(url: str) -> dict[str, Any]:
    """The endpoints.yml entry for LOCK_STORE_URL."""
    return {"type": LOCK_STORE_CLASS, "url": url}


@dataclass(frozen=True)
class Profile:
    replicas: int
    database_url: str
    lock_store_url: str
    event_broker_url: str
    event_queue: str = DEFAULT_EVENT_QUEUE

    @property
    def balanced(self) -> bool:
        return self.replicas >= 2


def profile() -> Profile:
    return Profile(rasa_replicas(), database_url(), lock_store_url(), event_broker_url(), event_queue())


def problem(found: Profile) -> str | None:
    """Why this profile cannot run, in Spanish (None: it can)."""
    if not found.balanced:
        return None
    reasons = []
    if found.database_url.startswith("sqlite"):
        reasons.append(
            "DATABASE_URL debe ser una base de datos de servidor (PostgreSQL): con SQLite cada réplica "
            "escribiría el mismo archivo y las conversaciones se corromperían"
        )
    if not found.lock_store_url.startswith(("redis://", "rediss://")):
        reasons.append(
            "LOCK_STORE_URL debe apuntar a Redis (redis://host:6379/1): sin un bloqueo compartido, dos "
            "mensajes del mismo cliente en réplicas distintas se pisan y se pierden"
        )
    if not reasons:
        return None
    return f"RASA_REPLICAS={found.replicas} necesita: " + "; ".join(reasons) + "."


def broker_endpoint(url: str, queue: str = DEFAULT_EVENT_QUEUE) -> dict[str, Any]:
    """RabbitMQ for EVENT_BROKER_URL: Rasa's pika broker made patient (protheus/rasa_server/event_broker.py),
    with few, short connection attempts so a broker that is down does not hold Rasa's start."""
    address = BrokerAddress.parse(url)
    return {
        "type": "protheus.rasa_server.event_broker.PatientPikaEventBroker",
        "url": address.host,
        "port": address.port,
        "username": address.username,
        "password": address.password,
        "queues": [queue],
        "connection_attempts": 2,
        "retry_delay_in_seconds": 1,
    }


def endpoint_entries(found: Profile) -> dict[str, Any]:
    """The lock store and event broker entries of endpoints.yml for this profile."""
    entries: dict[str, Any] = {}
    if found.lock_store_url:
        entries["lock_store"] = lock_store_endpoint(found.lock_store_url)
    if found.event_broker_url:
        entries["event_broker"] = broker_endpoint(found.event_broker_url, found.event_queue)
    return entries


def replica_ports(public: Ports, count: int) -> list[Ports]:
    """Where each replica and its action server listen (loopback; nginx is the public port)."""
    return [
        replace(
            public,
            rasa=public.rasa + REPLICA_PORT_OFFSET + index,
            actions=public.actions + REPLICA_PORT_OFFSET + index,
            host="127.0.0.1",
        )
        for index in range(count)
    ]


# The part every balancer of this project shares, `make run`'s and the deployments': socket.io
# sticky per browser, everything else round-robin, the customer's address and the request's id
# passed on (rate limits; a replayed turn after a replica dies).
UPSTREAMS_AND_SERVER = """    upstream rasa {{
{servers}        keepalive 32;
    }}
    upstream rasa_socketio {{
        hash $remote_addr$http_user_agent consistent;  # one browser, one replica
{servers}    }}
    server {{
        listen {listen};
        # A POST in flight on a replica that dies is sent to another, with the same X-Request-Id:
        # a turn the dead replica had already stored is answered from what it stored (channels).
        proxy_next_upstream error timeout http_502 http_503 non_idempotent;
        proxy_read_timeout 60s;
        location /socket.io/ {{
            proxy_pass http://rasa_socketio;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header Host $host;
            proxy_set_header X-Real-IP $remote_addr;  # the customer's address (rate limits)
        }}
        location / {{
            proxy_pass http://rasa;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Request-Id $request_id;
            proxy_set_header X-Real-IP $remote_addr;
        }}
    }}
}}
"""


def balancer(servers: list[str], listen: str) -> str:
    lines = "".join(f"        server {server} max_fails=1 fail_timeout=5s;\n" for server in servers)
    return UPSTREAMS_AND_SERVER.format(servers=lines, listen=listen)


def nginx_config(public: Ports, replicas: list[Ports], prefix: str) -> str:
    """nginx on the public port in front of `make run`'s replicas."""
    upstream = balancer([f"127.0.0.1:{r.rasa}" for r in replicas], f"{public.host}:{public.rasa}")
    return f"""# Generated by protheus/supervisor/serving.py for RASA_REPLICAS={len(replicas)}.
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    client_max_body_size 2m;
    # Bodies and answers stay in memory: .state is the owner's only (0700), and nginx's workers
    # run as another user when it is started as root; customers' messages are not written to disk.
    client_body_buffer_size 2m;
    proxy_max_temp_file_size 0;
{upstream}"""


def endpoints_config(action_url: str, db_url: str, extra: dict | None = None, secret: str | None = None) -> dict:
    """Rasa's endpoints: the action server at `action_url` with its secret (ACTION_SECRET), the
    tracker store on DATABASE_URL and the serving profile's lock store, event broker and model
    server (`extra`). The one home of this file for `make run` and the deployments."""
    ensure_secrets()  # a service is starting: the local secrets exist from here on
    config = yaml.safe_load(PROJECT.endpoints_template.read_text(encoding="utf-8")) or {}
    config["action_endpoint"] = {"url": action_url, "headers": {ACTION_SECRET_HEADER: secret or action_secret()}}
    from protheus.db.database import with_timeouts  # here: the supervisor needs SQLAlchemy only for this

    config["tracker_store"] = {
        "type": TRACKER_STORE_CLASS,
        "url": with_timeouts(db_url),
    }
    config.update(extra or {})
    lock_store = config.get("lock_store") or {}
    if lock_store.get("url"):  # replicas: conversations held through an outage live where every replica reads
        config["tracker_store"]["hold_url"] = lock_store["url"]
    return config
