"""What /salud and the console say about conversation storage, from the store's status file."""

from protheus.support.health import verdict

TZ = "America/Mexico_City"
FAILING = {
    "estado": "fallo",
    "desde": 1795800000.0,
    "fallos": 3,
    "ultimo_fallo": 1795800100.0,
    "ultimo_error": "OperationalError: server closed",
    "retenidas": 2,
    "turnos_retenidos": 5,
    "escritas": 0,
}


def test_an_outage_says_how_many_conversations_are_held():
    health = verdict(True, False, FAILING, TZ)
    said = " ".join(health.warnings)
    assert not health.ok and "2 conversaciones (5 turnos del cliente) quedan retenidas" in said
    assert health.as_json()["turnos_retenidos"] == 5


def test_after_the_outage_it_says_when_the_held_ones_were_written():
    written = {**FAILING, "estado": "ok", "retenidas": 0, "turnos_retenidos": 0, "escritas": 2}
    written |= {"turnos_escritos": 5, "ultima_escritura": 1795800200.0}
    health = verdict(True, True, written, TZ)
    assert health.ok and "las 2 conversaciones retenidas (5 turnos del cliente) se escribieron" in health.warnings[0]
    assert health.as_json()["turnos_escritos"] == 5 and health.as_json()["turnos_retenidos"] == 0
    pending = {**written, "retenidas": 1, "turnos_retenidos": 2}
    said = verdict(True, True, pending, TZ).warnings[0]
    assert "1 conversaciones (2 turnos del cliente) siguen retenidas" in said


def test_held_conversations_another_replica_wrote_are_told_without_a_time_this_replica_never_saw():
    """Replicas share the totals; the replica that did not write them has no moment of its own
    (this made /salud answer 500 after an outage)."""
    written = {**FAILING, "estado": "ok", "retenidas": 0, "turnos_retenidos": 0, "escritas": 1}
    written |= {"turnos_escritos": 4, "ultima_escritura": None}
    health = verdict(True, True, written, TZ)
    assert health.ok and "(4 turnos del cliente) se escribieron en la base." in health.warnings[0]


def test_the_status_file_notes_when_it_saw_the_shared_totals_grow(tmp_path):
    from protheus.common.store_status import StatusFile

    status = StatusFile(tmp_path / "estado.json")
    status.failed("cli", Exception("server closed"), held=(1, 4))
    status.succeeded(held=(0, 0), written=(1, 4))  # written back by the other replica
    assert status.state["escritas"] == 1 and status.state["ultima_escritura"] is not None


def test_the_store_s_error_is_a_detail_not_part_of_the_public_answer():
    health = verdict(True, False, FAILING, TZ)
    assert "server closed" not in " ".join(health.warnings) + str(health.as_json())
    assert health.details == ["Último error al guardar conversaciones: OperationalError: server closed"]
    assert health.as_json(with_details=True)["detalles"] == health.details


def test_a_lock_store_or_broker_that_does_not_answer_degrades_the_verdict():
    from protheus.support.health import with_services

    fine = verdict(True, True, {"estado": "ok"}, TZ)
    assert with_services(fine, None, None).ok  # a profile without them
    assert with_services(verdict(True, True, {"estado": "ok"}, TZ), True, True).ok
    redis_down = with_services(verdict(True, True, {"estado": "ok"}, TZ), False, True)
    assert not redis_down.ok and redis_down.as_json()["estado"] == "degradado"
    assert "Redis" in redis_down.warnings[-1]
    broker_down = with_services(verdict(True, True, {"estado": "ok"}, TZ), True, False)
    assert not broker_down.ok and "RabbitMQ" in broker_down.warnings[-1]


def test_a_feed_stopped_by_the_database_blames_the_database_not_rabbitmq():
    from protheus.support.health import BROKER_DOWN, FEED_WAITS_FOR_DATABASE, with_services

    during_outage = with_services(verdict(True, False, FAILING, TZ), lock_store=True, broker=False)
    assert FEED_WAITS_FOR_DATABASE in during_outage.warnings and BROKER_DOWN not in during_outage.warnings
    rabbitmq_down = with_services(verdict(True, True, {}, TZ), lock_store=True, broker=False)
    assert BROKER_DOWN in rabbitmq_down.warnings
