"""The action server's database handle: created on first use, migrated once."""
from __future__ import annotations

import logging
from functools import lru_cache

from protheus.db.store import SupportDB

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def support_db() -> SupportDB:
    db = SupportDB()
    added = db.prepare()
    if added:
        logger.info("Loaded %d demo customers", added)
    return db
