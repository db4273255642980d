"""Hand-offs on SQLite and PostgreSQL: one per open request, and the queue's transitions
abierto → en_curso (one agent) → cerrado."""

import pytest

from protheus.common.vocabulary import Channel, HandoffStatus
from protheus.db.handoffs import HandoffError, HandoffStore


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
    handoffs.take(first.id, "ana")
    handoffs.close(first.id, "ana")
    later, created_later = handoffs.create(
        sender_id="c1", channel=Channel.STANDARD, intent="reportar_error", slots={}, summary="de nuevo"
    )
    assert created_later and later.id != first.id


def test_handoff_status_transitions(handoffs):
    info, _ = handoffs.create(
        sender_id="c2", channel=Channel.LIVE_AGENT, intent="hablar_con_humano", slots={}, summary=""
    )
    taken = handoffs.take(info.id, "ana")
    assert (taken.status, taken.assigned_to) == (HandoffStatus.IN_PROGRESS, "ana") and taken.taken_at
    closed = handoffs.close(info.id, "ana")
    assert closed.status is HandoffStatus.CLOSED and closed.closed_at


def test_handoffs_of_several_conversations(handoffs):
    a, _ = handoffs.create(sender_id="a", channel=Channel.STANDARD, intent="reportar_error", slots={}, summary="")
    b, _ = handoffs.create(sender_id="a", channel=Channel.EXTERNAL, intent="consulta_sql", slots={}, summary="")
    c, _ = handoffs.create(sender_id="c", channel=Channel.PRIME, intent="atencion_urgente", slots={}, summary="")
    found = handoffs.of_conversations(["a", "c", "nadie"])
    assert [h.id for h in found["a"]] == [a.id, b.id] and [h.id for h in found["c"]] == [c.id]
    assert "nadie" not in found


@pytest.fixture
def handoff(db):
    info, _ = HandoffStore(db).create(
        sender_id="web-1",
        channel="agente_humano",
        intent="hablar_con_humano",
        slots={"codigo_cliente": "STD01"},
        summary="Hablar con un agente",
    )
    return info


def test_open_handoffs_oldest_first(db, handoff):
    second, _ = HandoffStore(db).create(
        sender_id="web-2", channel="soporte_estandar", intent="reportar_error", slots={}, summary="Error"
    )
    assert [h.id for h in HandoffStore(db).open()] == [handoff.id, second.id]


def test_take_assigns_it_to_one_agent_only(db, handoff):
    taken = HandoffStore(db).take(handoff.id, "ana")
    assert taken.status == "en_curso" and taken.assigned_to == "ana" and taken.taken_at is not None
    with pytest.raises(HandoffError, match="ya la tomó ana"):
        HandoffStore(db).take(handoff.id, "pedro")


def test_only_the_agent_who_took_it_closes_it(db, handoff):
    with pytest.raises(HandoffError, match="tómela primero"):
        HandoffStore(db).close(handoff.id, "ana")
    HandoffStore(db).take(handoff.id, "ana")
    with pytest.raises(HandoffError, match="a cargo de ana"):
        HandoffStore(db).close(handoff.id, "pedro")
    closed = HandoffStore(db).close(handoff.id, "ana")
    assert closed.status == "cerrado" and closed.closed_at is not None
    assert HandoffStore(db).open() == []
    with pytest.raises(HandoffError, match="ya está cerrada"):
        HandoffStore(db).take(handoff.id, "pedro")


def test_admin_may_close_anyones(db, handoff):
    HandoffStore(db).take(handoff.id, "ana")
    assert HandoffStore(db).close(handoff.id, "jefa", any_agent=True).status == "cerrado"


def test_unknown_handoff(db):
    with pytest.raises(HandoffError, match="no existe"):
        HandoffStore(db).take("DXXXX", "ana")
