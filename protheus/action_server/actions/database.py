"""The action server's database and stores: created on first use, migrated once."""

from __future__ import annotations

import logging
from functools import lru_cache

from protheus.action_server.actions.outbox import HandoffOutbox, open_queue
from protheus.common.settings import agent_idle_minutes, lock_store_url
from protheus.db import prepare
from protheus.db.customers import CustomerStore
from protheus.db.database import Database
from protheus.db.handoffs import HandoffStore
from protheus.db.presence import PresenceStore
from protheus.db.satisfaction import SatisfactionStore

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def database() -> Database:
    db = Database()
    added = prepare(db)
    if added:
        logger.info("Loaded %d demo customers", added)
    return db


def customers() -> CustomerStore:
    return CustomerStore(database())


def handoffs() -> HandoffStore:
    return HandoffStore(database())


@lru_cache(maxsize=1)
def handoff_outbox() -> HandoffOutbox:
    """The action server's hand-offs waiting for the database (one per process): in the Redis
    the replicas share when there is one (LOCK_STORE_URL), so any action server writes them."""
    return HandoffOutbox(handoffs, queue=open_queue(lock_store_url()))


def presence() -> PresenceStore:
    return PresenceStore(database(), agent_idle_minutes() * 60)


def satisfaction() -> SatisfactionStore:
    return SatisfactionStore(database())
