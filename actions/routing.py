"""The routing table (routing.yml): intent → channel and customer-facing label."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional

import yaml

from protheus.paths import PROJECT


@dataclass(frozen=True)
class Route:
    intent: str
    canal: str
    etiqueta: str
    recopilar: tuple[str, ...] = ()


class RoutingTable:
    """Read-only view of routing.yml."""

    def __init__(self, routes: Dict[str, Route]) -> None:
        self._routes = routes

    @classmethod
    def load(cls, path: Path = PROJECT.routing) -> "RoutingTable":
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))["intents"]
        return cls({
            name: Route(name, spec["canal"], spec["etiqueta"], tuple(spec.get("recopilar") or ()))
            for name, spec in raw.items()
        })

    def get(self, intent: str) -> Optional[Route]:
        return self._routes.get(intent)

    def label(self, intent: str) -> Optional[str]:
        route = self._routes.get(intent)
        return route.etiqueta if route else None

    def collected(self, intent: str) -> tuple[str, ...]:
        """Slots whose values go into the hand-off of this intent."""
        route = self._routes.get(intent)
        return route.recopilar if route else ()

    def intents(self) -> list[str]:
        return list(self._routes)


@lru_cache(maxsize=1)
def routing_table() -> RoutingTable:
    return RoutingTable.load()
