"""The NLU result of short messages, remembered: «sí», «no», «gracias», «hola», a customer
code. They are most of the turns of a form, every conversation says them, and our NLU
reads only the text (no component looks at the tracker or the metadata), so the same
model gives the same result for the same short text. Longer messages (a request, a
pasted log) are parsed every time.

Installed in Rasa's process by protheus.rasa_server.patches. NLU_CACHE_SIZE=0 turns it off.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from typing import Any

from rasa.core.processor import MessageProcessor

from protheus.common.settings import nlu_cache_size

MAX_CACHED_CHARS = 40  # short answers; a request with its details is rarely written twice

_parse = MessageProcessor._parse_message_with_graph


class ParseCache:
    def __init__(self, size: int) -> None:
        self.size = size
        self.hits = 0
        self._results: OrderedDict[tuple[str, str, bool], dict[str, Any]] = OrderedDict()

    def get(self, key: tuple[str, str, bool]) -> dict[str, Any] | None:
        found = self._results.get(key)
        if found is None:
            return None
        self.hits += 1
        self._results.move_to_end(key)
        return copy.deepcopy(found)  # Rasa adds to the parse data it is given

    def put(self, key: tuple[str, str, bool], parse_data: dict[str, Any]) -> None:
        self._results[key] = copy.deepcopy(parse_data)
        while len(self._results) > self.size:
            self._results.popitem(last=False)


CACHE = ParseCache(nlu_cache_size())


def _cached_parse(self: MessageProcessor, message: Any, tracker: Any, only_output_properties: bool = True) -> dict:
    text = message.text or ""
    # "/..." is read as an intent or as text depending on the channel's check (protheus.rasa_server.payloads).
    if CACHE.size == 0 or len(text) > MAX_CACHED_CHARS or text.lstrip().startswith("/"):
        return _parse(self, message, tracker, only_output_properties)
    key = (self.model_metadata.model_id, text, only_output_properties)  # a new model: new entries
    found = CACHE.get(key)
    if found is None:
        found = _parse(self, message, tracker, only_output_properties)
        CACHE.put(key, found)
    return found


def install() -> None:
    MessageProcessor._parse_message_with_graph = _cached_parse


def installed() -> bool:
    return MessageProcessor._parse_message_with_graph is _cached_parse
