"""Messages without words get `entrada_no_valida`, and messages wholly in Portuguese or English
`idioma_no_soportado`, whatever the classifier said."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from protheus.rasa_server.nlu.input_guard import InputGuard, has_words


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


def test_guard_marks_messages_wholly_in_another_language():
    guard = InputGuard(InputGuard.get_default_config())
    english = Message(
        data={
            "text": "Hi, I have an error when saving the sales order, can you help me?",
            "intent": {"name": "reportar_error", "confidence": 0.7},
        }
    )
    mixed = Message(
        data={"text": "el chamado de la nota fiscal no avanza", "intent": {"name": "reportar_error", "confidence": 0.7}}
    )
    guard.process([english, mixed])
    assert english.get("intent") == {"name": "idioma_no_soportado", "confidence": 1.0}
    assert mixed.get("intent")["name"] == "reportar_error"
    quiet = InputGuard({**InputGuard.get_default_config(), "detect_language": False})
    untouched = Message(data={"text": "what are your office hours?", "intent": {"name": "horario_atencion"}})
    quiet.process([untouched])
    assert untouched.get("intent")["name"] == "horario_atencion"
