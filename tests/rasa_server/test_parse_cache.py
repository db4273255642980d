"""Short messages' NLU results are remembered per model; long ones are parsed every time."""

from types import SimpleNamespace

import pytest

from protheus.rasa_server import parse_cache


class _Processor:
    def __init__(self, model_id: str) -> None:
        self.model_metadata = SimpleNamespace(model_id=model_id)


@pytest.fixture
def parses(monkeypatch):
    seen: list[str] = []

    def parse(self, message, tracker, only_output_properties=True):
        seen.append(message.text)
        return {"text": message.text, "intent": {"name": "afirmar", "confidence": 0.9}, "entities": []}

    monkeypatch.setattr(parse_cache, "_parse", parse)
    monkeypatch.setattr(parse_cache, "CACHE", parse_cache.ParseCache(100))
    return seen


def _message(text: str):
    return SimpleNamespace(text=text)


def test_a_short_message_is_parsed_once_per_model(parses):
    model = _Processor("modelo-1")
    first = parse_cache._cached_parse(model, _message("sí"), None)
    first["intent"]["name"] = "cambiado por Rasa"  # Rasa adds to what it is given: the cache keeps its own
    second = parse_cache._cached_parse(model, _message("sí"), None)
    assert parses == ["sí"] and second["intent"]["name"] == "afirmar"
    parse_cache._cached_parse(_Processor("modelo-2"), _message("sí"), None)  # a new model parses again
    assert parses == ["sí", "sí"] and parse_cache.CACHE.hits == 1


def test_a_long_message_is_parsed_every_time(parses):
    model = _Processor("modelo-1")
    text = "al grabar el pedido de venta en MATA410 me sale un error de índice duplicado"
    for _ in range(2):
        parse_cache._cached_parse(model, _message(text), None)
    assert parses == [text, text]


def test_size_zero_turns_it_off(parses, monkeypatch):
    monkeypatch.setattr(parse_cache, "CACHE", parse_cache.ParseCache(0))
    for _ in range(2):
        parse_cache._cached_parse(_Processor("m"), _message("no"), None)
    assert parses == ["no", "no"]
