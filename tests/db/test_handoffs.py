"""Hand-offs on SQLite and PostgreSQL: one per open request, and their states."""

import pytest

from protheus.db.handoffs import HandoffStore
from protheus.vocabulary import Channel, HandoffStatus


@pytest.fixture
def handoffs(db) -> HandoffStore:
    return HandoffStore(db)


def test_retry_while_open_gives_one_handoff_and_a_new_one_after_closing(handoffs):
    first, created = handoffs.create(
        sender_id="c1", channel=Channel.STANDARD, intent="reportar_error", slots={"modulo": "SIGAFAT"}, summary="error"
    )
    again, created_again = handoffs.create(
        sender_id="c1", channel=Channel.STANDARD, intent="reportar_error", slots={}, summary="otra"
    )
    assert created and not created_again and again.id == first.id
    assert [h.id for h in handoffs.of_conversation("c1")] == [first.id]
    assert handoffs.get(first.id).slots == {"modulo": "SIGAFAT"}
    assert first.status is HandoffStatus.OPEN and first.channel is Channel.STANDARD
    handoffs.set_status(first.id, HandoffStatus.CLOSED)
    later, created_later = handoffs.create(
        sender_id="c1", channel=Channel.STANDARD, intent="reportar_error", slots={}, summary="de nuevo"
    )
    assert created_later and later.id != first.id


def test_handoff_status_transitions(handoffs):
    info, _ = handoffs.create(
        sender_id="c2", channel=Channel.LIVE_AGENT, intent="hablar_con_humano", slots={}, summary=""
    )
    taken = handoffs.set_status(info.id, HandoffStatus.IN_PROGRESS, agent="ana")
    assert (taken.status, taken.assigned_to) == (HandoffStatus.IN_PROGRESS, "ana")
    assert handoffs.set_status(info.id, HandoffStatus.CLOSED).status is HandoffStatus.CLOSED


def test_handoffs_of_several_conversations(handoffs):
    a, _ = handoffs.create(sender_id="a", channel=Channel.STANDARD, intent="reportar_error", slots={}, summary="")
    b, _ = handoffs.create(sender_id="a", channel=Channel.EXTERNAL, intent="consulta_sql", slots={}, summary="")
    c, _ = handoffs.create(sender_id="c", channel=Channel.PRIME, intent="atencion_urgente", slots={}, summary="")
    found = handoffs.of_conversations(["a", "c", "nadie"])
    assert [h.id for h in found["a"]] == [a.id, b.id] and [h.id for h in found["c"]] == [c.id]
    assert "nadie" not in found
