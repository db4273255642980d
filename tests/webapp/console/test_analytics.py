"""/consola/analitica: figures for a date range, for agents and admins, escaped."""

import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from protheus.common.vocabulary import AttendedBy, Channel
from protheus.db.analytics import Durations, SupportAnalytics
from protheus.db.annotations import AnnotationStore
from protheus.db.handoffs import HandoffStore
from protheus.db.satisfaction import SatisfactionStore
from tests.events import session_start, store, user
from tests.webapp.console.conftest import USERS
from tests.webapp.console.console_client import console, run


def three_conversations(db) -> float:
    now = time.time() - 3600
    store(db, "c-sola", session_start() + [user("¿qué es el soporte prime?", "info_prime", 0.95)], now)
    store(db, "c-duda", session_start() + [user("<b>algo raro</b>", "nlu_fallback", 0.2)], now + 10)
    store(db, "c-derivada", session_start() + [user("necesito un query", "consulta_sql", 0.9)], now + 20)
    HandoffStore(db).create(
        sender_id="c-derivada", channel=Channel.EXTERNAL, intent="consulta_sql", slots={}, summary="Querys o views SQL"
    )
    return now


def test_the_figures_of_a_date_range(db):
    from protheus.db.conversations import ConversationStore

    start = three_conversations(db)
    ConversationStore(db).sync()
    figures = SupportAnalytics(db).figures(start - 60, start + 7200)
    assert (figures.conversations, figures.handed_off, figures.with_fallback) == (3, 1, 1)
    assert round(figures.containment, 3) == round(2 / 3, 3) and round(figures.fallback_rate, 3) == round(1 / 3, 3)
    assert figures.handoffs_by_channel == {"externo": 1}
    assert ("info_prime", 1) in figures.top_intents
    assert figures.least_sure[0][:2] == ("c-duda", "<b>algo raro</b>")
    assert sum(n for _, n, _ in figures.by_day) == 3 and sum(h for _, _, h in figures.by_day) == 1
    empty = SupportAnalytics(db).figures(start - 7200, start - 3600)
    assert empty.conversations == 0 and empty.containment is None


def test_durations():
    assert Durations.of([]) == Durations()
    assert Durations.of([60.0, 120.0, 600.0]) == Durations(3, 120.0, 600.0)


def test_the_page_for_agents_and_admins_only(db, status_file):
    three_conversations(db)
    today = datetime.now(timezone.utc).date()

    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            status, body = await c.get(
                f"/consola/analitica?desde={today - timedelta(days=1)}&hasta={today + timedelta(days=1)}"
            )
            assert (
                status == 200
                and 'data-cifra="conversaciones">3<' in body
                and "Fuera de los canales de TOTVS</td><td>1</td>" in body
            )
            assert "&lt;b&gt;algo raro&lt;/b&gt;" in body and "<b>algo raro</b>" not in body
            assert "Respuestas a los formularios que el asistente leyó con menos seguridad" in body
            assert (await c.get("/consola/analitica?desde=ayer"))[0] == 400
            range_ = f"desde={today - timedelta(days=1)}&hasta={today + timedelta(days=1)}"
            status, body = await c.get(f"/consola/analitica.csv?{range_}")
            lines = body.strip().splitlines()
            assert status == 200 and lines[0] == "Día,Conversaciones,Derivadas"
            assert sum(int(line.split(",")[1]) for line in lines[1:]) == 3
            await c.post("/consola/salir")
            assert await c.login("tere") == 303
            assert (await c.get("/consola/analitica"))[0] == 403

    run(scenario)


def surveyed_and_tagged(db, start: float) -> None:
    """c-sola rated the assistant 4, c-derivada an agent 2 with a hostile comment; two tags."""
    surveys = SatisfactionStore(db, clock=lambda: start + 100)
    bot_alone = surveys.ask("c-sola", AttendedBy.ASSISTANT, 0.0)
    surveys.answer(bot_alone.survey_id, "c-sola", 4)
    agent = surveys.ask("c-derivada", AttendedBy.AGENT, 0.0)
    surveys.answer(agent.survey_id, "c-derivada", 2, "<script>alert(1)</script>")
    surveys.ask("c-duda", AttendedBy.ASSISTANT, 0.0)  # asked, never answered
    tags = AnnotationStore(db)
    tags.add_tag("c-derivada", "<b>consulta repetida</b>", "ana")
    tags.add_tag("c-sola", "<b>consulta repetida</b>", "ana")
    tags.add_tag("c-sola", "error confirmado", "ana")


def test_satisfaction_bot_versus_agent_and_tags_in_the_figures(db):
    from protheus.db.conversations import ConversationStore

    start = three_conversations(db)
    surveyed_and_tagged(db, start)
    ConversationStore(db).sync()
    figures = SupportAnalytics(db).figures(start - 60, start + 7200)
    bot, agent = figures.satisfaction[AttendedBy.ASSISTANT], figures.satisfaction[AttendedBy.AGENT]
    assert (bot.answered, bot.average, bot.scores[4]) == (1, 4.0, 1)
    assert (agent.answered, agent.average, agent.scores[2]) == (1, 2.0, 1)
    assert figures.surveys_asked == 3
    assert figures.tags == [("<b>consulta repetida</b>", 2), ("error confirmado", 1)]
    before = SupportAnalytics(db).figures(start - 7200, start - 3600)
    assert before.surveys_asked == 0 and before.satisfaction[AttendedBy.AGENT].average is None


def everything_stored(db) -> str:
    """The three conversations, surveyed and tagged; the console's range around today."""
    surveyed_and_tagged(db, three_conversations(db))
    today = datetime.now(timezone.utc).date()
    return f"desde={today - timedelta(days=1)}&hasta={today + timedelta(days=1)}"


def test_every_chart_is_drawn_with_its_table_and_csv_and_chat_text_escaped(db, status_file):
    range_ = everything_stored(db)

    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            status, body = await c.get(f"/consola/analitica?{range_}")
            assert status == 200
            for key in ("dias", "canales", "intenciones", "satisfaccion", "etiquetas", "dudas", "tiempos"):
                assert f'data-grafico="{key}"' in body and f'data-tabla="{key}"' in body, key
                assert f"tabla={key}" in body
            assert 'data-cifra="satisfaccion-asistente">4.0 / 5 (1 respuesta)' in body
            assert 'data-cifra="satisfaccion-agente">2.0 / 5' in body and 'data-cifra="encuestas">3<' in body
            assert "<b>consulta repetida</b>" not in body and "&lt;b&gt;consulta repetida&lt;/b&gt;" in body
            assert "<b>algo raro</b>" not in body
            status, csv_body = await c.get(f"/consola/analitica.csv?{range_}&tabla=satisfaccion")
            lines = csv_body.strip().splitlines()
            assert lines[0] == "Calificación,Asistente (sin agente),Agente de Soporte"
            assert "4 · Buena,1,0" in lines and "2 · Mala,0,1" in lines
            status, csv_body = await c.get(f"/consola/analitica.csv?{range_}&tabla=etiquetas")
            assert "<b>consulta repetida</b>,2" in csv_body
            assert (await c.get(f"/consola/analitica.csv?{range_}&tabla=nada"))[0] == 404

    run(scenario)


def test_days_are_the_console_s_whether_or_not_the_zone_changes_its_offset(db):
    """Santiago changes its clocks in the range (counted per hour), Mexico City does not (per day)."""
    from datetime import date

    from protheus.db.conversations import ConversationStore

    santiago = ZoneInfo("America/Santiago")
    # 2026-09-06 04:00 UTC: Chile moves from UTC-4 to UTC-3; a conversation just before each midnight.
    moments = [datetime(2026, 9, day, 23, 30, tzinfo=santiago).timestamp() for day in (4, 5, 6, 7)]
    for number, at in enumerate(moments):
        store(db, f"c-{number}", session_start() + [user("hola", "saludo", 0.9)], at, step=1)
    ConversationStore(db).sync()
    start = datetime(2026, 9, 1, tzinfo=santiago).timestamp()
    end = datetime(2026, 9, 10, tzinfo=santiago).timestamp()
    days = SupportAnalytics(db).figures(start, end, "America/Santiago").by_day
    assert [d for d, _, _ in days] == [date(2026, 9, day).isoformat() for day in (4, 5, 6, 7)]
    in_mexico = SupportAnalytics(db).figures(start, end, "America/Mexico_City").by_day
    assert sum(n for _, n, _ in in_mexico) == 4
    assert [d for d, _, _ in in_mexico] == [
        datetime.fromtimestamp(m + 2, ZoneInfo("America/Mexico_City")).date().isoformat() for m in moments
    ]


def test_queue_times_are_sorted_by_the_database(db):
    from protheus.db.models import Handoff

    created = datetime(2026, 11, 2, 10, 0, tzinfo=timezone.utc)
    with db.session() as session:
        for number, minutes in enumerate([1, 2, 3, 10]):
            session.add(
                Handoff(
                    id=f"D{number}",
                    sender_id=f"s{number}",
                    channel="agente_humano",
                    intent="hablar_con_humano",
                    slots={},
                    summary="",
                    status="cerrado",
                    created_at=created,
                    taken_at=created + timedelta(minutes=minutes),
                    closed_at=created + timedelta(minutes=minutes * 2) if number else None,
                )
            )
    figures = SupportAnalytics(db).figures(created.timestamp() - 60, created.timestamp() + 60)
    assert figures.queue_wait == Durations.of([60.0, 120.0, 180.0, 600.0]) == Durations(4, 150.0, 600.0)
    assert figures.time_to_close == Durations(3, 360.0, 1200.0)


def test_the_page_filtered_by_a_tag_counts_only_those_conversations(db, status_file):
    range_ = everything_stored(db)

    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            status, body = await c.get(f"/consola/analitica?{range_}&etiqueta=Error%20%20Confirmado")
            assert status == 200 and 'data-cifra="conversaciones">1<' in body  # c-sola only
            assert "Solo las conversaciones con la etiqueta «error confirmado»" in body
            assert (
                'data-cifra="satisfaccion-asistente">4.0 / 5' in body and 'data-cifra="satisfaccion-agente">—' in body
            )
            assert "etiqueta=error+confirmado&amp;tabla=dias" in body
            status, csv_body = await c.get(f"/consola/analitica.csv?{range_}&etiqueta=error+confirmado&tabla=etiquetas")
            assert csv_body.strip().splitlines()[1:] == ["<b>consulta repetida</b>,1", "error confirmado,1"]
            assert (await c.get(f"/consola/analitica?{range_}&etiqueta={'x' * 61}"))[0] == 400

    run(scenario)


def test_answers_to_form_questions_are_measured_apart_from_classification_doubts(db):
    """A customer code typed as an answer reads as a doubtful intent: it is no classification doubt."""
    from rasa.shared.core.events import SlotSet

    from protheus.common.answer_examples import READINGS
    from protheus.db.conversations import ConversationFilter, ConversationStore

    now = time.time() - 3600
    answer = user("facilitador.std@example.com", "contacto_soporte", 0.05)
    answer.parse_data[READINGS] = {"verificacion_cliente": {"valor": 0.62, "otro": 0.3}}
    events = [*session_start(), user("tengo una urgencia", "atencion_urgente", 0.9)]
    events += [SlotSet("requested_slot", "verificacion_cliente"), answer, SlotSet("requested_slot", None)]
    events += [user("¿y el horario?", "horario_atencion", 0.3)]
    store(db, "c-formulario", events, now)
    ConversationStore(db).sync()
    figures = SupportAnalytics(db).figures(now - 60, now + 7200)
    assert [text for _, text, _ in figures.least_sure] == ["¿y el horario?", "tengo una urgencia"]
    from protheus.webapp.console.analytics import charts

    [shown] = [chart for chart in charts(figures, lambda text: text) if chart.key == "respuestas"]
    assert shown.rows[0].label == "facilitador.std@example.com (el correo del facilitador)"
    assert figures.least_sure_answers == [("c-formulario", "facilitador.std@example.com", "verificacion_cliente", 0.62)]
    [row] = ConversationStore(db).page(ConversationFilter())[0]
    assert row.min_confidence == 0.3  # the answer's 0.05 is no doubt of the classifier
