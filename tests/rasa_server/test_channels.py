"""The guard: failed action calls noted where they fail, the socket.io payload, message limits."""

import asyncio

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from protheus.rasa_server import patches
from protheus.rasa_server.action_calls import failed_action

patches.install()  # as the launcher does: these tests check the patched action calls
CLOSED_PORT = "http://127.0.0.1:9/webhook"  # nothing listens there


def _run(action: RemoteAction, sender: str):
    tracker = DialogueStateTracker(sender, slots=[])
    return asyncio.run(action.run(CollectingOutputChannel(), None, tracker, Domain.empty()))


def test_a_custom_action_that_cannot_run_is_noted_for_the_guard():
    with pytest.raises(RasaException):
        _run(RemoteAction("action_derivar", EndpointConfig(CLOSED_PORT)), "cliente-1")
    assert failed_action("cliente-1") == "action_derivar"
    assert failed_action("cliente-1") is None  # read once


def test_a_session_start_the_action_server_cannot_run_is_rasas_own():
    events = _run(RemoteAction("action_session_start", EndpointConfig(CLOSED_PORT)), "cliente-2")
    assert isinstance(events[0], SessionStarted) and events[-1] == ActionExecuted("action_listen")
    assert failed_action("cliente-2") == "action_session_start"


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

    from protheus.rasa_server.channels import CustomJsonSocketIOOutput

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

    from protheus.rasa_server.channels import guarded

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


def test_a_turn_that_fails_altogether_is_answered_in_spanish():
    import asyncio

    from rasa.core.channels.channel import UserMessage
    from rasa.core.lock_store import LockError

    from protheus.rasa_server.channels import guarded

    async def on_new_message(message):
        raise LockError("El almacén de bloqueos (Redis) no responde")

    output = RecordingOutput()
    asyncio.run(guarded(on_new_message)(UserMessage("hola", output, "prueba")))
    assert len(output.sent) == 1 and "No pude procesar su último mensaje" in output.sent[0]


def test_a_request_a_dead_replica_had_answered_is_answered_from_the_store_not_run_again(monkeypatch):
    from rasa.core.channels.channel import UserMessage

    from protheus.rasa_server import channels
    from protheus.rasa_server.channels import REQUEST_ID_KEY, guarded

    stored = {"nginx-1": [{"event": "bot", "text": "PRIME es un servicio…", "data": {"buttons": None}}]}

    async def stored_replies(message):
        return stored.get((message.metadata or {}).get(REQUEST_ID_KEY))

    monkeypatch.setattr(channels, "stored_replies", stored_replies)
    handled = []

    async def on_new_message(message):
        handled.append(message.text)

    for request_id in ("nginx-1", "nginx-2"):
        output = CollectingOutputChannel()
        metadata = {REQUEST_ID_KEY: request_id}
        asyncio.run(guarded(on_new_message)(UserMessage("¿qué es prime?", output, "c1", metadata=metadata)))
        if request_id == "nginx-1":
            assert handled == [] and [m["text"] for m in output.messages] == ["PRIME es un servicio…"]
    assert handled == ["¿qué es prime?"]  # a new request is processed


def test_the_store_finds_the_replies_to_a_request_it_stored(tmp_path, monkeypatch):
    from rasa.shared.core.events import BotUttered, UserUttered

    from protheus.common.settings import TRACKER_STATUS_ENV
    from protheus.rasa_server.tracker_store import ObservedSQLTrackerStore

    monkeypatch.setenv(TRACKER_STATUS_ENV, str(tmp_path / "estado.json"))
    store = ObservedSQLTrackerStore(domain=Domain.empty(), host=f"sqlite:///{tmp_path / 'rasa.db'}")
    tracker = DialogueStateTracker.from_events(
        "c1",
        [
            UserUttered("hola", metadata={"peticion": "r1"}),
            BotUttered("¡Hola!"),
            UserUttered("¿qué es prime?", metadata={"peticion": "r2"}),
            BotUttered("PRIME es…", data={"buttons": [{"title": "Sí", "payload": "/afirmar"}]}),
        ],
    )
    asyncio.run(store.save(tracker))
    [reply] = store.replies_to("c1", "peticion", "r2")
    assert reply["text"] == "PRIME es…" and reply["data"]["buttons"][0]["payload"] == "/afirmar"
    assert store.replies_to("c1", "peticion", "r1") is None  # not the last message: a new request
    assert store.replies_to("otro", "peticion", "r2") is None


def test_with_replicas_socketio_rooms_are_shared_through_redis(monkeypatch):
    """An agent's reply or «escribiendo» goes through whichever replica nginx picks; the browser is
    connected to one: with LOCK_STORE_URL, every replica's socket.io server shares its rooms."""
    from socketio import AsyncRedisManager

    from protheus.rasa_server.channels import shared_rooms

    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    assert shared_rooms() is None
    monkeypatch.setenv("LOCK_STORE_URL", "redis://127.0.0.1:6379/1")
    monkeypatch.setenv("EVENT_QUEUE", "cola_de_prueba")
    manager = shared_rooms()
    assert isinstance(manager, AsyncRedisManager) and manager.channel == "cola_de_prueba_socketio"
