"""The tracker store's state file, written inside Rasa and read by the web app.

Kept apart from protheus.rasa_server.tracker_store so that reading it does not import Rasa.
"""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from pathlib import Path
from typing import Any

logger = logging.getLogger("protheus.rasa_server.tracker_store")

OK, FAILING = "ok", "fallo"


def read_status(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


class StatusFile:
    """The store's state, rewritten atomically on every change."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.state: dict[str, Any] = {
            "estado": OK,
            "desde": time.time(),
            "fallos": 0,
            "ultimo_fallo": None,
            "ultimo_error": None,
            "retenidas": 0,  # conversations held now, to be written when the database answers
            "turnos_retenidos": 0,  # the customer turns those hold
            "escritas": 0,  # held conversations written back since the start
            "turnos_escritos": 0,  # the customer turns those carried
            "ultima_escritura": None,
            "pid": os.getpid(),
        }

    def write(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # A name of this write's own: replicas that share the file (a deployment's shared volume)
        # never rename each other's half-written copy.
        temporary = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex}.tmp")
        temporary.write_text(json.dumps(self.state, ensure_ascii=False), encoding="utf-8")
        temporary.replace(self.path)

    @staticmethod
    def _counts(held: tuple[int, int] | None, written: tuple[int, int] | None = None) -> dict[str, int]:
        """The state's fields for (conversations, customer turns) held now and written back."""
        counts: dict[str, int] = {}
        if held is not None:
            counts["retenidas"], counts["turnos_retenidos"] = held
        if written is not None:
            counts["escritas"], counts["turnos_escritos"] = written
        return counts

    def succeeded(self, held: tuple[int, int] | None = None, written: tuple[int, int] | None = None) -> None:
        """Storing again; `held`, `written` as in `written()`, when known."""
        counts = self._counts(held, written)
        changed = any(self.state[key] != value for key, value in counts.items())
        if self.state["estado"] != OK:
            logger.warning("La base de datos de conversaciones responde de nuevo; se vuelven a guardar.")
            self.state.update(estado=OK, desde=time.time())
            changed = True
        if changed:
            if counts.get("escritas", 0) > self.state["escritas"]:  # written back, maybe by another replica
                self.state["ultima_escritura"] = time.time()
            self.state.update(counts)
            self.write()

    def written(self, sender_id: str, held: tuple[int, int], written: tuple[int, int]) -> None:
        """A held conversation reached the database. `held`, `written`: (conversations, customer
        turns) held now and written back since the start, over every replica that shares them."""
        self.state.update(self._counts(held, written), ultima_escritura=time.time())
        logger.warning(
            "Conversación %s retenida durante la caída: ya está en la base de datos (quedan %d).", sender_id, held[0]
        )
        self.write()

    def failed(self, sender_id: str, error: Exception, held: tuple[int, int] | None = None) -> None:
        """A write or read failed; `held`: (conversations, customer turns) held now, when known."""
        self.state.update(self._counts(held))
        self.state["fallos"] += 1
        self.state["ultimo_fallo"] = time.time()
        self.state["ultimo_error"] = f"{type(error).__name__}: {str(error).splitlines()[0][:300]}"
        if self.state["estado"] != FAILING:
            self.state.update(estado=FAILING, desde=time.time())
        logger.critical(
            "¡CONVERSACIONES SIN GUARDAR! No se pudo guardar la conversación %s en la base de datos (%s). "
            "Queda retenida y se escribirá cuando la base responda (en la memoria de este servidor, o en Redis "
            "con réplicas). Retenidas: %d. Fallos desde el inicio: %d.",
            sender_id,
            self.state["ultimo_error"],
            self.state["retenidas"],
            self.state["fallos"],
        )
        self.write()
