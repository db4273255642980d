"""Hand-offs the database could not take: kept, with the number the customer was given, and
written as soon as it answers again (retried every RETRY_SECONDS, and before each new one).

The action server keeps them in memory: they survive a database outage, not a restart of
the action server (the log says which ones were pending).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from protheus.db.handoffs import HandoffStore, new_handoff_id

logger = logging.getLogger(__name__)
RETRY_SECONDS = 10.0


@dataclass
class HandoffOutbox:
    store: Callable[[], HandoffStore]
    retry_seconds: float = RETRY_SECONDS
    _pending: list[dict[str, Any]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _retrying: bool = False

    def hold(self, **handoff: Any) -> str:
        """Keep a hand-off to write later; returns its number (given to the customer now)."""
        handoff_id = new_handoff_id()
        with self._lock:
            self._pending.append({**handoff, "handoff_id": handoff_id})
            start = not self._retrying
            self._retrying = True
        logger.error("Hand-off %s of %s kept until the database answers", handoff_id, handoff.get("sender_id"))
        if start:
            threading.Thread(target=self._retry, name="handoff-outbox", daemon=True).start()
        return handoff_id

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def flush(self) -> int:
        """Write the kept hand-offs, oldest first; stops at the first failure. Returns how many were written."""
        written = 0
        while True:
            with self._lock:
                if not self._pending:
                    return written
                handoff = self._pending[0]
            try:
                self.store().create(**handoff)
            except SQLAlchemyError:
                return written
            with self._lock:
                self._pending.pop(0)
            written += 1
            logger.warning("Hand-off %s written after the database outage", handoff["handoff_id"])

    def _retry(self) -> None:
        while True:
            time.sleep(self.retry_seconds)
            self.flush()
            with self._lock:
                if not self._pending:
                    self._retrying = False
                    return
