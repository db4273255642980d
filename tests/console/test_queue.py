"""Hand-off queue transitions: abierto → en_curso (one agent) → cerrado; on SQLite and PostgreSQL."""
import pytest

from protheus.db.store import HandoffError


@pytest.fixture
def handoff(db):
    info, _ = db.create_handoff(sender_id="web-1", channel="agente_humano", intent="hablar_con_humano",
                                slots={"codigo_cliente": "STD01"}, summary="Hablar con un agente")
    return info


def test_open_handoffs_oldest_first(db, handoff):
    second, _ = db.create_handoff(sender_id="web-2", channel="soporte_estandar", intent="reportar_error",
                                  slots={}, summary="Error")
    assert [h.id for h in db.open_handoffs()] == [handoff.id, second.id]


def test_take_assigns_it_to_one_agent_only(db, handoff):
    taken = db.take_handoff(handoff.id, "ana")
    assert taken.status == "en_curso" and taken.assigned_to == "ana" and taken.taken_at is not None
    with pytest.raises(HandoffError, match="ya la tomó ana"):
        db.take_handoff(handoff.id, "pedro")


def test_only_the_agent_who_took_it_closes_it(db, handoff):
    with pytest.raises(HandoffError, match="tómela primero"):
        db.close_handoff(handoff.id, "ana")
    db.take_handoff(handoff.id, "ana")
    with pytest.raises(HandoffError, match="a cargo de ana"):
        db.close_handoff(handoff.id, "pedro")
    closed = db.close_handoff(handoff.id, "ana")
    assert closed.status == "cerrado" and closed.closed_at is not None
    assert db.open_handoffs() == []
    with pytest.raises(HandoffError, match="ya está cerrada"):
        db.take_handoff(handoff.id, "pedro")


def test_admin_may_close_anyones(db, handoff):
    db.take_handoff(handoff.id, "ana")
    assert db.close_handoff(handoff.id, "jefa", any_agent=True).status == "cerrado"


def test_unknown_handoff(db):
    with pytest.raises(HandoffError, match="no existe"):
        db.take_handoff("DXXXX", "ana")
