"""A customer waiting for a live agent hears, once, that the request is still queued (injected clock)."""

import asyncio
from datetime import timedelta

from protheus.common.messages import message
from protheus.db.handoffs import HandoffStore
from protheus.db.models import utcnow
from protheus.webapp.queue_reminder import QueueReminder
from protheus.webapp.rasa_client import RasaUnavailable


class FakeRasa:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.up = True

    async def send_message(self, sender_id, text, metadata=None):
        if not self.up:
            raise RasaUnavailable("caído")
        self.sent.append((sender_id, text))


def _handoff(store, sender, channel="agente_humano"):
    return store.create(sender_id=sender, channel=channel, intent="hablar_con_humano", slots={}, summary="")[0]


def test_one_reminder_after_the_wait_unless_an_agent_answered(db):
    store, rasa = HandoffStore(db), FakeRasa()
    waiting, answered = _handoff(store, "espera"), _handoff(store, "atendido")
    _handoff(store, "otro-canal", channel="soporte_estandar")
    store.take(answered.id, "ana")
    store.mark_answered(answered.id)
    now = utcnow()
    early = QueueReminder(store, rasa, wait_minutes=10, clock=lambda: now + timedelta(minutes=9))
    assert asyncio.run(early.remind()) == [] and rasa.sent == []
    later = QueueReminder(store, rasa, wait_minutes=10, clock=lambda: now + timedelta(minutes=11))
    assert asyncio.run(later.remind()) == [waiting.id]
    assert rasa.sent == [("espera", message("derivacion_sigue_en_cola", handoff_id=waiting.id)["text"])]
    assert asyncio.run(later.remind()) == []  # never twice


def test_a_reminder_rasa_did_not_take_is_sent_on_the_next_round(db):
    store, rasa = HandoffStore(db), FakeRasa()
    waiting = _handoff(store, "espera")
    reminder = QueueReminder(store, rasa, wait_minutes=1, clock=lambda: utcnow() + timedelta(minutes=5))
    rasa.up = False
    assert asyncio.run(reminder.remind()) == []
    rasa.up = True
    assert asyncio.run(reminder.remind()) == [waiting.id] and len(rasa.sent) == 1


def test_a_request_older_than_a_chat_session_is_not_reminded(db):
    store, rasa = HandoffStore(db), FakeRasa()
    _handoff(store, "de-ayer")
    late = QueueReminder(store, rasa, wait_minutes=10, clock=lambda: utcnow() + timedelta(hours=13), session_hours=12)
    assert asyncio.run(late.remind()) == [] and rasa.sent == []
