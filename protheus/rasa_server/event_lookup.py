"""Rasa's event types found by name through a table, not a walk of the class tree.

Rasa 3.6 rebuilds the list of every Event subclass for each event it reads back from the
tracker store (Event.resolve_by_type): 3 % of a replica's time under load (py-spy). The
table is rebuilt when a name is not in it, so an event class defined later is still found.
Installed in Rasa's process by protheus.rasa_server.patches.
"""

from __future__ import annotations

from typing import Any

import rasa.shared.utils.common
from rasa.shared.core.events import Event

_resolve = Event.resolve_by_type
_by_name: dict[str, Any] = {}


def _table() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for cls in rasa.shared.utils.common.all_subclasses(Event):
        found.setdefault(cls.type_name, cls)  # Rasa takes the first in the same order
    return found


def resolve_by_type(type_name: str, default: Any = None) -> Any:
    cls = _by_name.get(type_name)
    if cls is None:
        _by_name.clear()
        _by_name.update(_table())
        cls = _by_name.get(type_name)
    return cls if cls is not None else _resolve(type_name, default)  # Rasa's own answer for the rest


def install() -> None:
    Event.resolve_by_type = staticmethod(resolve_by_type)


def installed() -> bool:
    return Event.resolve_by_type is resolve_by_type
