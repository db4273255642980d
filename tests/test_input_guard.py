"""Messages without words get `entrada_no_valida`, whatever the classifier said."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from protheus.nlu.input_guard import InputGuard, has_words


@pytest.mark.parametrize("text", ["", "   ", "😀😀", "???", "...!!!", "\x00\x07\x1b", "👍 🙏"])
def test_texts_without_words(text):
    assert not has_words(text)


@pytest.mark.parametrize("text", ["hola", "MATA410", "123", "ñ", "¿qué es prime?"])
def test_texts_with_words(text):
    assert has_words(text)


def test_guard_overrides_only_wordless_messages():
    guard = InputGuard(InputGuard.get_default_config())
    emoji = Message(
        data={
            "text": "😀",
            "intent": {"name": "saludo", "confidence": 0.9},
            "intent_ranking": [{"name": "saludo", "confidence": 0.9}],
        }
    )
    words = Message(data={"text": "hola", "intent": {"name": "saludo", "confidence": 0.9}})
    guard.process([emoji, words])
    assert emoji.get("intent") == {"name": "entrada_no_valida", "confidence": 1.0}
    assert [r["name"] for r in emoji.get("intent_ranking")] == ["entrada_no_valida", "saludo"]
    assert words.get("intent")["name"] == "saludo"
