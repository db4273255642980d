"""Hand-off queue transitions: abierto → en_curso (one agent) → cerrado; on SQLite and PostgreSQL."""

import pytest

from protheus.db.handoffs import HandoffError, HandoffStore


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
