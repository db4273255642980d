"""action_derivar on every path of PRODUCT.md, against SQLite and PostgreSQL."""

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import OperationalError

from protheus.action_server.actions.handoff import ActionHandOff
from protheus.common.service_hours import PRIME_HOURS
from protheus.db.accounts import AccountStore
from protheus.db.customers import CustomerStore
from protheus.db.handoffs import HandoffStore
from protheus.db.presence import PresenceStore
from tests.action_server.actions.conftest import make_tracker

MX = ZoneInfo("America/Mexico_City")
TUESDAY_10AM = datetime(2026, 11, 24, 10, 0, tzinfo=MX)
SATURDAY_NOON = datetime(2026, 11, 28, 12, 0, tzinfo=MX)
ERROR_SLOTS = {
    "modulo": "SIGAFAT",
    "descripcion_error": "al grabar el pedido sale error.log",
    "codigo_cliente": "STD01",
}


@pytest.fixture
def seeded(db):
    CustomerStore(db).seed_demo_customers()
    return HandoffStore(db)


def run(action, tracker, dispatcher):
    return asyncio.run(action.run(dispatcher, tracker, {}))


def handoff_of(dispatcher) -> dict:
    [message] = [m for m in dispatcher.messages if m.get("custom")]
    return message


def agent_account(db, username: str) -> None:
    """Only an active account that takes hand-offs counts as «disponible»."""
    accounts = AccountStore(db)
    if all(user.username != username for user in accounts.users()):
        accounts.create_user(username, "agente", "una-clave-larga-1")


def action(handoffs: HandoffStore, now=TUESDAY_10AM, agents=("ana",)) -> ActionHandOff:
    """With `agents` marked «disponible» (none: nobody in the console)."""
    presence = PresenceStore(handoffs.db, idle_seconds=900, clock=now.timestamp)
    for agent in agents:
        agent_account(handoffs.db, agent)
        presence.set_available(agent, True)
    return ActionHandOff(
        customers=lambda: CustomerStore(handoffs.db),
        handoffs=lambda: handoffs,
        clock=lambda: now,
        presence=lambda: presence,
        hours=lambda: PRIME_HOURS,
    )


def test_reproducible_error_goes_to_standard_support(seeded, dispatcher):
    tracker = make_tracker(
        "afirmar",
        slots={**ERROR_SLOTS, "reproduce_en_estandar": True, "solo_registros_especificos": False},
        history=["reportar_error"],
    )
    events = run(action(seeded), tracker, dispatcher)
    message = handoff_of(dispatcher)
    payload = message["custom"]["handoff"]
    assert (payload["canal"], payload["intent"]) == ("soporte_estandar", "reportar_error")
    assert payload["id"] in message["text"] and "Soporte Estándar" in message["text"]
    row = seeded.get(payload["id"])
    assert row.channel == "soporte_estandar" and row.slots["modulo"] == "SIGAFAT"
    assert row.slots["reproduce_en_estandar"] is True
    assert SlotSet("handoff_id", payload["id"]) in events and SlotSet("descripcion_error", None) in events


@pytest.mark.parametrize("reproduces, specific", [(False, False), (True, True)])
def test_not_reproducible_or_specific_records_asks_the_consulting_terms_first(seeded, dispatcher, reproduces, specific):
    tracker = make_tracker(
        "negar",
        slots={**ERROR_SLOTS, "reproduce_en_estandar": reproduces, "solo_registros_especificos": specific},
        history=["reportar_error"],
    )
    events = run(action(seeded), tracker, dispatcher)
    assert events == [SlotSet("requiere_aceptacion", True)]  # a rule opens formulario_consultoria
    assert dispatcher.messages == [] and seeded.of_conversation("prueba") == []


def test_accepted_terms_register_remote_consulting(seeded, dispatcher):
    tracker = make_tracker(
        "afirmar",
        slots={
            **ERROR_SLOTS,
            "reproduce_en_estandar": False,
            "solo_registros_especificos": False,
            "acepta_terminos_consultoria": True,
        },
        history=["reportar_error"],
    )
    run(action(seeded), tracker, dispatcher)
    assert handoff_of(dispatcher)["custom"]["handoff"]["canal"] == "consultoria_remota"


def test_refused_terms_register_nothing_and_give_alternatives(seeded, dispatcher):
    tracker = make_tracker(
        "negar",
        slots={**ERROR_SLOTS, "reproduce_en_estandar": False, "acepta_terminos_consultoria": False},
        history=["reportar_error"],
    )
    events = run(action(seeded), tracker, dispatcher)
    [message] = dispatcher.messages
    assert "no registré ninguna solicitud" in message["text"] and "Alternativas" in message["text"]
    assert not message.get("custom") and seeded.of_conversation("prueba") == []
    assert SlotSet("acepta_terminos_consultoria", None) in events


def test_prime_customer_urgent_in_hours_goes_to_prime(seeded, dispatcher):
    tracker = make_tracker(
        "atencion_urgente", slots={"codigo_cliente": "PRIME01", "verificacion_cliente": "verificado"}
    )
    run(action(seeded, TUESDAY_10AM), tracker, dispatcher)
    message = handoff_of(dispatcher)
    assert message["custom"]["handoff"]["canal"] == "soporte_prime"
    assert "fuera del horario" not in message["text"]


def test_prime_customer_out_of_hours_is_told_when_the_team_answers(seeded, dispatcher):
    tracker = make_tracker(
        "atencion_urgente", slots={"codigo_cliente": "PRIME01", "verificacion_cliente": "verificado"}
    )
    run(action(seeded, SATURDAY_NOON), tracker, dispatcher)
    message = handoff_of(dispatcher)
    assert message["custom"]["handoff"]["canal"] == "soporte_prime"
    assert "el lunes 30 de noviembre a las 08:00 (hora de Ciudad de México)" in message["text"]


def test_urgent_standard_customer_goes_to_remote_consulting(seeded, dispatcher):
    tracker = make_tracker("atencion_urgente", slots={"codigo_cliente": "STD01"})
    assert run(action(seeded), tracker, dispatcher) == [SlotSet("requiere_aceptacion", True)]
    accepted = make_tracker(
        "afirmar", slots={"codigo_cliente": "STD01", "acepta_terminos_consultoria": True}, history=["atencion_urgente"]
    )
    run(action(seeded), accepted, dispatcher)
    assert handoff_of(dispatcher)["custom"]["handoff"]["canal"] == "consultoria_remota"


def test_prime_error_report_with_a_critical_process_goes_to_prime(seeded, dispatcher):
    tracker = make_tracker(
        "afirmar",
        slots={
            **ERROR_SLOTS,
            "codigo_cliente": "PRIME01",
            "verificacion_cliente": "portal",
            "reproduce_en_estandar": False,
        },
        history=["atencion_urgente", "reportar_error"],
    )
    run(action(seeded), tracker, dispatcher)
    assert handoff_of(dispatcher)["custom"]["handoff"]["canal"] == "soporte_prime"


@pytest.mark.parametrize(
    "intent",
    [
        "soporte_hardware",
        "consulta_sql",
        "obligaciones_fiscales",
        "recuperar_backup",
        "soporte_infraestructura",
        "desarrollo_a_medida",
        "soporte_personalizaciones",
        "informe_personalizado",
    ],
)
def test_externo_intents_are_registered_as_externo(seeded, dispatcher, intent):
    run(action(seeded), make_tracker(intent), dispatcher)
    payload = handoff_of(dispatcher)["custom"]["handoff"]
    assert (payload["canal"], payload["intent"]) == ("externo", intent)
    assert set(payload) == {"canal", "id", "intent", "resumen"}


def test_live_agent_pauses_the_bot_when_an_agent_is_available(seeded, dispatcher):
    events = run(action(seeded), make_tracker("hablar_con_humano"), dispatcher)
    assert handoff_of(dispatcher)["custom"]["handoff"]["canal"] == "agente_humano"
    assert [e["event"] for e in events[-2:]] == ["pause", "action"] and events[-1]["name"] == "action_listen"


NIGHT_IN_MEXICO = datetime(2026, 11, 24, 3, 10, tzinfo=MX)


@pytest.mark.parametrize(
    "now, agents, key_words",
    [
        (NIGHT_IN_MEXICO, ("ana",), ["fuera del horario", "el martes 24 de noviembre a las 08:00"]),
        (SATURDAY_NOON, ("ana",), ["fuera del horario", "el lunes 30 de noviembre a las 08:00"]),
        (TUESDAY_10AM, (), ["no hay agentes de Soporte disponibles"]),
    ],
)
def test_nobody_to_answer_offers_the_queue_or_the_portal_and_does_not_pause(seeded, dispatcher, now, agents, key_words):
    events = run(action(seeded, now, agents), make_tracker("hablar_con_humano"), dispatcher)
    [said] = dispatcher.messages
    for words in key_words + ["de lunes a viernes, de 08:00 a 18:00 (hora de Ciudad de México)"]:
        assert words in said["text"]
    assert not said.get("custom") and seeded.of_conversation("prueba") == []  # nothing registered yet
    payload, portal = said["buttons"]
    assert payload["payload"] == '/hablar_con_humano{"dejar_en_cola": "si"}'
    assert portal["type"] == "web_url" and portal["url"].startswith("https://")
    assert not any(e["event"] == "pause" for e in events)


def test_leaving_the_request_in_the_queue_registers_it_and_the_bot_keeps_answering(seeded, dispatcher):
    chose = make_tracker("hablar_con_humano", entities=[{"entity": "dejar_en_cola", "value": "si"}])
    events = run(action(seeded, NIGHT_IN_MEXICO), chose, dispatcher)
    message = handoff_of(dispatcher)
    handoff = seeded.get(message["custom"]["handoff"]["id"])
    assert handoff.channel == "agente_humano" and handoff.status == "abierto"
    assert "quedó en la cola de agentes" in message["text"] and "sigue respondiendo" in message["text"]
    assert not any(e["event"] == "pause" for e in events)


def test_an_agent_idle_past_the_limit_does_not_count(seeded, dispatcher):
    earlier = PresenceStore(seeded.db, idle_seconds=900, clock=lambda: TUESDAY_10AM.timestamp() - 901)
    agent_account(seeded.db, "ana")
    earlier.set_available("ana", True)
    events = run(action(seeded, TUESDAY_10AM, agents=()), make_tracker("hablar_con_humano"), dispatcher)
    assert "no hay agentes" in dispatcher.messages[0]["text"] and not any(e["event"] == "pause" for e in events)


def test_client_retry_gives_one_handoff(seeded):
    ids = []
    for _ in range(2):
        dispatcher = CollectingDispatcher()
        run(action(seeded), make_tracker("consulta_funcional"), dispatcher)
        ids.append(handoff_of(dispatcher)["custom"]["handoff"]["id"])
    assert ids[0] == ids[1] and len(seeded.of_conversation("prueba")) == 1


class FailingStore:
    def get(self, code):
        raise OperationalError("select", {}, Exception("database is down"))

    def create(self, **kwargs):
        raise OperationalError("insert", {}, Exception("database is down"))


def test_a_handoff_the_database_cannot_take_is_kept_with_its_number_and_written_later(seeded, dispatcher):
    from protheus.action_server.actions.outbox import HandoffOutbox

    outbox = HandoffOutbox(FailingStore, retry_seconds=3600)
    action = ActionHandOff(customers=FailingStore, handoffs=FailingStore, outbox=lambda: outbox)
    events = run(action, make_tracker("consulta_funcional", sender_id="caida"), dispatcher)
    [message] = dispatcher.messages
    kept = next(e["value"] for e in events if e["name"] == "handoff_id")
    assert "No pude registrar su solicitud en este momento" in message["text"] and kept in message["text"]
    assert not message.get("custom") and outbox.pending() == 1  # no card: not registered yet
    assert outbox.flush() == 0 and outbox.pending() == 1  # the database still does not answer
    outbox.store = lambda: seeded  # it answers again
    assert outbox.flush() == 1 and outbox.pending() == 0
    [written] = seeded.of_conversation("caida")
    assert written.id == kept and written.intent == "consulta_funcional"


def test_no_routable_intent_does_nothing(seeded, dispatcher):
    assert run(action(seeded), make_tracker("saludo"), dispatcher) == []
    assert dispatcher.messages == []


def test_a_pasted_log_reaches_the_agent_as_its_fields(seeded, dispatcher):
    log = (
        "no puedo grabar pedidos\nTHREAD ERROR ([4412], jlopez, SRV01) 12/03/2024 10:22:13\n"
        "variable does not exist C5_XTIPO on MATA410(MATA410.PRW) 12/03/2024 line : 2345"
    )
    slots = {
        **ERROR_SLOTS,
        "descripcion_error": log,
        "reproduce_en_estandar": True,
        "solo_registros_especificos": False,
    }
    run(action(seeded), make_tracker("afirmar", slots=slots, history=["reportar_error"]), dispatcher)
    summary = handoff_of(dispatcher)["custom"]["handoff"]["resumen"]
    assert "descripcion error: no puedo grabar pedidos [log] error: variable does not exist C5_XTIPO" in summary
    assert "rutina: MATA410; fuente: MATA410.PRW; línea: 2345; tabla: SC5; campo: C5_XTIPO" in summary
    assert "THREAD ERROR" not in summary


def test_a_handoff_kept_in_the_shared_queue_is_written_by_another_action_server(seeded, dispatcher, redis_url):
    """Replicas: the action server that took the request stopped; the other one writes it."""
    from protheus.action_server.actions.outbox import HandoffOutbox, RedisQueue

    took = HandoffOutbox(FailingStore, retry_seconds=3600, queue=RedisQueue(redis_url))
    action = ActionHandOff(customers=FailingStore, handoffs=FailingStore, outbox=lambda: took)
    events = run(action, make_tracker("consulta_funcional", sender_id="caida-replicas"), dispatcher)
    kept = next(e["value"] for e in events if e["name"] == "handoff_id")
    took = None  # its action server stopped

    other = HandoffOutbox(lambda: seeded, retry_seconds=3600, queue=RedisQueue(redis_url))
    assert other.pending() == 1
    assert other.flush() == 1 and other.pending() == 0
    [written] = seeded.of_conversation("caida-replicas")
    assert written.id == kept and written.intent == "consulta_funcional"


def test_two_action_servers_flushing_at_once_write_each_kept_handoff_once(seeded, redis_url):
    import threading

    from protheus.action_server.actions.outbox import HandoffOutbox, RedisQueue

    down = HandoffOutbox(FailingStore, retry_seconds=3600, queue=RedisQueue(redis_url))
    numbers = [
        down.hold(sender_id=f"caida-{i}", channel="soporte_estandar", intent="reportar_error", slots={}, summary="x")
        for i in range(20)
    ]
    outboxes = [HandoffOutbox(lambda: seeded, retry_seconds=3600, queue=RedisQueue(redis_url)) for _ in range(2)]
    start = threading.Barrier(2)

    def flush(outbox):
        start.wait()
        outbox.flush()

    threads = [threading.Thread(target=flush, args=(outbox,)) for outbox in outboxes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = [h.id for i in range(20) for h in seeded.of_conversation(f"caida-{i}")]
    assert sorted(stored) == sorted(numbers) and outboxes[0].pending() == 0


def test_a_handoff_after_the_outage_does_not_write_the_kept_ones_in_its_turn_and_they_keep_their_place(
    seeded, dispatcher
):
    """After an outage a hundred hand-offs may be kept: written inside one customer's turn they
    held every action call of that server for seconds (bench/soak.py). The new hand-off is
    registered at once; the kept ones are written by the outbox's thread right after, each with
    the moment it was asked for, so the agents' queue keeps its order."""
    import threading
    import time

    from protheus.action_server.actions.outbox import HandoffOutbox

    outbox = HandoffOutbox(FailingStore, retry_seconds=3600)
    kept = [
        outbox.hold(sender_id=f"caida-{i}", channel="soporte_estandar", intent="reportar_error", slots={}, summary="x")
        for i in range(5)
    ]
    created: list[str] = []

    class CountingStore(HandoffStore):
        def create(self, **request):
            created.append((request["sender_id"], threading.current_thread().name))
            return super().create(**request)

    outbox.store = lambda: CountingStore(seeded.db)  # the database answers again
    later = action(seeded)
    later._outbox = lambda: outbox
    tracker = make_tracker(
        "afirmar",
        sender_id="despues",
        slots={**ERROR_SLOTS, "reproduce_en_estandar": True, "solo_registros_especificos": False},
        history=["reportar_error"],
    )
    run(later, tracker, dispatcher)
    new_id = handoff_of(dispatcher)["custom"]["handoff"]["id"]
    for _ in range(100):
        if outbox.pending() == 0:
            break
        time.sleep(0.02)
    assert outbox.pending() == 0
    assert sorted(created) == [(f"caida-{i}", "handoff-outbox") for i in range(5)]  # none in the turn
    assert [h.id for h in seeded.open()] == [*kept, new_id]
