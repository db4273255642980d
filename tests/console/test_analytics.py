"""/consola/analitica: figures for a date range, for agents and admins, escaped."""

import time
from datetime import datetime, timedelta, timezone

from protheus.db.analytics import Durations, SupportAnalytics
from protheus.db.handoffs import HandoffStore
from protheus.vocabulary import Channel
from tests.console.conftest import USERS
from tests.console.console_client import console, run
from tests.events import session_start, store, user


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
            assert status == 200 and 'data-cifra="conversaciones">3<' in body and 'data-canal="externo">1<' in body
            assert "&lt;b&gt;algo raro&lt;/b&gt;" in body and "<b>algo raro</b>" not in body
            assert (await c.get("/consola/analitica?desde=ayer"))[0] == 400
            range_ = f"desde={today - timedelta(days=1)}&hasta={today + timedelta(days=1)}"
            status, body = await c.get(f"/consola/analitica.csv?{range_}")
            lines = body.strip().splitlines()
            assert status == 200 and lines[0] == "dia,conversaciones,derivadas"
            assert sum(int(line.split(",")[1]) for line in lines[1:]) == 3
            await c.post("/consola/salir")
            assert await c.login("tere") == 303
            assert (await c.get("/consola/analitica"))[0] == 403

    run(scenario)
