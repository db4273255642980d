"""The guard finds the actions of the customer's last turn, session start included."""

from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered

from protheus.channels import actions_of_last_turn


def test_actions_after_the_last_message():
    events = [
        ActionExecuted("action_listen"),
        UserUttered("hola"),
        ActionExecuted("utter_saludo"),
        ActionExecuted("action_listen"),
        UserUttered("backup"),
        ActionExecuted("utter_recuperar_backup"),
        ActionExecuted("action_derivar"),
    ]
    assert actions_of_last_turn(events) == ["action_derivar", "utter_recuperar_backup"]


def test_session_start_before_the_first_message_counts():
    events = [ActionExecuted("action_session_start"), UserUttered("hola"), ActionExecuted("utter_saludo")]
    assert actions_of_last_turn(events) == ["utter_saludo", "action_session_start"]


def test_earlier_turns_do_not_count():
    events = [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        UserUttered("hola"),
        ActionExecuted("action_derivar"),
        ActionExecuted("action_listen"),
        UserUttered("gracias"),
        ActionExecuted("utter_agradecimiento"),
    ]
    assert actions_of_last_turn(events) == ["utter_agradecimiento"]


class RecordingSio:
    """Has python-socketio's AsyncServer.emit signature and records what is emitted."""

    def __init__(self) -> None:
        self.emitted: list = []

    async def emit(
        self, event, data=None, to=None, room=None, skip_sid=None, namespace=None, callback=None, ignore_queue=False
    ):
        self.emitted.append((event, data, room))


def test_socketio_output_emits_the_handoff_payload_as_the_message():
    import asyncio

    from protheus.channels import CustomJsonSocketIOOutput

    sio = RecordingSio()
    payload = {"handoff": {"canal": "soporte_estandar", "id": "H-1", "intent": "reportar_error", "resumen": "x"}}
    asyncio.run(CustomJsonSocketIOOutput(sio, "bot_uttered").send_response("sesion-1", {"custom": payload}))
    assert sio.emitted == [("bot_uttered", payload, "sesion-1")]


def test_stock_socketio_output_cannot_emit_the_payload():
    """Why the channel has its own output: Rasa 3.6 passes the payload as keyword arguments."""
    import asyncio

    import pytest
    from rasa.core.channels.socketio import SocketIOOutput

    with pytest.raises(TypeError):
        asyncio.run(SocketIOOutput(RecordingSio(), "bot_uttered").send_custom_json("s", {"handoff": {}}))


class RecordingOutput:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send_text_message(self, recipient_id, text, **kwargs) -> None:
        self.sent.append(text)


def _through_the_guard(text: str) -> tuple[list[str], list[str]]:
    import asyncio

    from rasa.core.channels.channel import UserMessage

    from protheus.channels import guarded

    handled: list[str] = []

    async def on_new_message(message):
        handled.append(message.text)

    output = RecordingOutput()
    asyncio.run(guarded(on_new_message)(UserMessage(text, output, "prueba")))
    return handled, output.sent


def test_long_text_is_refused_but_a_long_pasted_log_goes_through(monkeypatch):
    monkeypatch.delenv("MAX_MESSAGE_CHARS", raising=False)
    monkeypatch.delenv("MAX_LOG_CHARS", raising=False)
    handled, sent = _through_the_guard("no graba " * 300)
    assert handled == [] and "Su mensaje es muy largo (2699 caracteres; el máximo es 2000)" in sent[0]
    log = "me sale esto al grabar:\n" + "variable does not exist C5_XTIPO on MATA410(MATA410.PRW) line : 2345\n" * 80
    handled, sent = _through_the_guard(log)
    assert handled == [log.strip()] and len(log) > 5000
    handled, sent = _through_the_guard("x" + log * 5)  # beyond MAX_LOG_CHARS (20 000)
    assert handled == [] and "el máximo es 20000" in sent[0]
