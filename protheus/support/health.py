"""Is every conversation being stored? Rasa, the database and Rasa's tracker store.

Rasa falls back to keeping conversations in memory when the database fails, and
says so only once in its log. protheus.rasa_server.tracker_store writes the store's state to a
file; this module reads it and turns it into a Spanish verdict for /salud, the
console banner and a loud log line whenever it changes. The database's own error (it may name
its host and user) is a detail: for the logs, `make run` and admins, never in the public /salud.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import text

from protheus.common.store_status import FAILING
from protheus.db.database import Database

logger = logging.getLogger(__name__)


@dataclass
class Health:
    rasa: bool
    database: bool
    conversations_stored: bool | None  # None: unknown (Rasa is not running)
    warnings: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # error texts: admins and logs only
    lock_store: bool | None = None  # Redis, which the replicas share; None: not in this profile
    broker: bool | None = None  # RabbitMQ, which feeds the console; None: not in this profile
    turns_held: int = 0  # customer turns the database has not taken yet (an outage)
    turns_written: int = 0  # held turns written back since Rasa started

    @property
    def ok(self) -> bool:
        """Storing now, and every service the profile uses answering. Past failures stay in the
        warnings but do not make /salud fail."""
        serving = self.rasa and self.database and self.conversations_stored is True
        return serving and self.lock_store is not False and self.broker is not False

    def as_json(self, with_details: bool = False) -> dict:
        """What /salud answers; `with_details` (admins) adds the errors behind the warnings."""
        data = {
            "estado": "ok" if self.ok else "degradado",
            "rasa": self.rasa,
            "base_de_datos": self.database,
            "conversaciones_guardadas": self.conversations_stored,
            "almacen_de_bloqueos": self.lock_store,
            "broker_de_eventos": self.broker,
            "turnos_retenidos": self.turns_held,
            "turnos_escritos": self.turns_written,
            "avisos": list(self.warnings),
        }
        return {**data, "detalles": list(self.details)} if with_details else data


def database_answers(db: Database) -> bool:
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any driver error means "not reachable"
        return False


def lock_store_answers(url: str) -> bool:
    """Does the replicas' Redis answer? (A short wait: /salud answers within a second.)"""
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


LOCK_STORE_DOWN = (
    "Redis (el almacén de bloqueos que comparten las réplicas) no responde: las réplicas no procesan "
    "mensajes y los clientes reciben un aviso hasta que vuelva."
)
BROKER_DOWN = (
    "La consola no recibe los eventos de RabbitMQ: las conversaciones nuevas aparecerán en la "
    "consola cuando vuelva a responder (los eventos esperan en la cola)."
)
FEED_WAITS_FOR_DATABASE = (
    "La consola no puede indexar los eventos mientras la base de datos no responde: esperan en la cola de "
    "RabbitMQ y aparecerán en la consola cuando la base vuelva."
)


def with_services(health: Health, lock_store: bool | None, broker: bool | None) -> Health:
    """The verdict with the lock store and the broker the profile uses (None: not used)."""
    health.lock_store, health.broker = lock_store, broker
    if lock_store is False:
        health.warnings.append(LOCK_STORE_DOWN)
    if broker is False:  # the feed stops when it cannot write the index: say which of the two is down
        health.warnings.append(BROKER_DOWN if health.database else FEED_WAITS_FOR_DATABASE)
    return health


def _clock(timestamp: float, tz: str) -> str:
    return datetime.fromtimestamp(timestamp, ZoneInfo(tz)).strftime("%d/%m/%Y %H:%M")


def verdict(rasa_up: bool, db_up: bool, store: dict | None, tz: str) -> Health:
    """The health of conversation storage from what was observed (pure, for the tests)."""
    warnings: list[str] = []
    details: list[str] = []
    stored: bool | None = None
    if not db_up:
        warnings.append("La base de datos no responde: no se pueden guardar ni consultar conversaciones.")
    if not rasa_up:
        warnings.append("Rasa no responde: el asistente no está atendiendo.")
    elif store is None:
        stored = False
        warnings.append(
            "Rasa está guardando las conversaciones solo en memoria (no pudo crear el almacén SQL): "
            "se perderán al reiniciar. Revise DATABASE_URL y el registro de Rasa."
        )
    elif store.get("estado") == FAILING:
        stored = False
        warnings.append(
            f"Las conversaciones no se están guardando desde {_clock(store['desde'], tz)} "
            f"({store.get('fallos', 0)} fallos). {_held(store)} quedan retenidas y se escribirán cuando la base "
            "responda (en la memoria de Rasa, o en Redis con réplicas: allí sobreviven a una réplica que se reinicia)."
        )
        details.append(f"Último error al guardar conversaciones: {store.get('ultimo_error')}")
    else:
        stored = True
        warnings += _past_failures(store, tz)
    health = Health(rasa_up, db_up, stored, warnings, details)
    if store is not None:
        health.turns_held, health.turns_written = store.get("turnos_retenidos", 0), store.get("turnos_escritos", 0)
    return health


def _held(store: dict) -> str:
    return f"{store.get('retenidas', 0)} conversaciones ({store.get('turnos_retenidos', 0)} turnos del cliente)"


def _past_failures(store: dict, tz: str) -> list[str]:
    """What an outage that is over left: what was held, and whether it was all written."""
    if not store.get("fallos"):
        return []
    said = f"Hubo {store['fallos']} fallos al guardar conversaciones (el último el {_clock(store['ultimo_fallo'], tz)})"
    if store.get("retenidas"):
        return [f"{said}: {_held(store)} siguen retenidas, por escribir."]
    if store.get("escritas"):
        # Another replica may have written them: this one knows the totals, maybe not the moment.
        when = f" el {_clock(store['ultima_escritura'], tz)}" if store.get("ultima_escritura") else ""
        return [
            f"{said}: las {store['escritas']} conversaciones retenidas ({store.get('turnos_escritos', 0)} turnos "
            f"del cliente) se escribieron en la base{when}."
        ]
    return [f"{said}: esos turnos quedaron solo en memoria."]
