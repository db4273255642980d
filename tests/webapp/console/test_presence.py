"""«Disponible» / «ausente» in the console: agents mark it, the bot reads it, logging out leaves."""

import time

from protheus.common.paths import PROJECT
from protheus.db.accounts import AccountStore
from protheus.db.presence import PresenceStore
from protheus.webapp.console.context import CONSOLE, TEMPLATES
from protheus.webapp.console.security import REFRESH_PARAMETER
from tests.webapp.console.conftest import USERS
from tests.webapp.console.console_client import console, run


def test_an_agent_marks_available_then_absent_and_logging_out_leaves(db, status_file):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            presence = PresenceStore(db, idle_seconds=900)
            status, body = await c.get("/consola/cola")
            assert 'id="estado-agente">Ausente' in body and presence.available_agents() == []
            response = await c.post("/consola/disponibilidad", {"estado": "disponible", "siguiente": "/consola/cola"})
            assert response.status == 303 and response.headers["Location"].startswith("/consola/cola?aviso=")
            status, body = await c.get(response.headers["Location"])
            assert 'id="estado-agente">Disponible' in body and "Está «disponible»" in body
            assert presence.available_agents() == ["ana"]
            await c.post("/consola/disponibilidad", {"estado": "ausente"})
            assert presence.available_agents() == []
            await c.post("/consola/disponibilidad", {"estado": "disponible"})
            await c.post("/consola/salir")
            assert presence.available_agents() == []

    run(scenario)


def test_presence_needs_the_form_token_and_the_queue_permission(db, status_file):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            assert (await c.post("/consola/disponibilidad", {"estado": "disponible"}, csrf=False)).status == 403
            assert PresenceStore(db, idle_seconds=900).available_agents() == []
        async with console(db, status_file) as c:
            await c.login("tere")
            status, body = await c.get("/consola/conversaciones")
            assert "estado-agente" not in body  # trainers take no hand-offs
            assert (await c.post("/consola/disponibilidad", {"estado": "disponible"})).status == 403

    run(scenario)


def test_an_agent_back_from_idleness_is_told_they_were_marked_absent(db, status_file):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            long_ago = PresenceStore(db, idle_seconds=900, clock=lambda: 1_000_000.0)
            long_ago.set_available("ana", True)
            status, body = await c.get("/consola/cola")
            assert "Se le marcó «ausente» por inactividad" in body and 'id="estado-agente">Ausente' in body

    run(scenario)


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def test_an_agent_deactivated_or_demoted_stops_counting_at_once_and_comes_back_absent(db, status_file):
    """Issue 24, finding 8: a deactivated or demoted agent still counted as «disponible»."""

    async def scenario():
        async with console(db, status_file, USERS) as c:
            presence, accounts = PresenceStore(db, idle_seconds=900), AccountStore(db)
            ana = next(user for user in accounts.users() if user.username == "ana")
            for change, back in (({"activo": "0"}, {"activo": "1"}), ({"rol": "entrenador"}, {"rol": "agente"})):
                await c.login("ana")
                await c.post("/consola/disponibilidad", {"estado": "disponible"})
                assert presence.available_agents() == ["ana"]
                c.client.session.cookie_jar.clear()  # ana's session stays open: the admin works elsewhere
                await c.login("jefa")
                assert (await c.post(f"/consola/usuarios/{ana.id}", change)).status == 200
                assert presence.available_agents() == [], change
                await c.post(f"/consola/usuarios/{ana.id}", back)
                assert presence.available_agents() == [], back  # back, but «ausente» until they say so
                c.client.session.cookie_jar.clear()

    run(scenario)


def test_only_the_agent_s_own_requests_keep_them_available_not_a_page_refreshing_itself(db, status_file):
    """Issue 24, finding 8: an open queue page (its live stream, its redraws) kept an absent agent counted."""

    async def scenario():
        async with console(db, status_file, USERS) as c:
            clock = Clock()
            ctx = c.client.server.app[CONSOLE]
            ctx.presence.clock = clock
            presence = PresenceStore(db, idle_seconds=ctx.presence.idle_seconds, clock=clock)
            idle = ctx.presence.idle_seconds
            await c.login("ana")
            await c.post("/consola/disponibilidad", {"estado": "disponible"})
            clock.now += idle - 90
            status, body = await c.get("/consola/cola?refresco=1")  # consola-vivo.js redrawing the list
            assert status == 200 and 'id="estado-agente">Disponible' in body
            clock.now += 40  # past TOUCH_EVERY: a request counted as activity would be written
            stream = await c.client.get("/consola/eventos")  # the live stream reconnecting
            assert stream.status == 200
            stream.close()
            clock.now += 70
            assert presence.available_agents() == []
            await c.post("/consola/disponibilidad", {"estado": "disponible"})
            clock.now += idle - 60
            await c.get("/consola/conversaciones")  # the agent opens a page
            clock.now += 70
            assert presence.available_agents() == ["ana"]

    run(scenario)


def test_the_pages_that_reload_by_themselves_say_so():
    """consola-vivo.js redraws the queue and the models page reloads while training: both with
    the parameter that keeps those requests from counting as the agent's activity."""
    script = (PROJECT.web / "consola-vivo.js").read_text(encoding="utf-8")
    models = (TEMPLATES / "modelos.html").read_text(encoding="utf-8")
    assert f'fetch("/consola/cola?{REFRESH_PARAMETER}=1"' in script
    assert f"url=/consola/entrenamiento/modelos?{REFRESH_PARAMETER}=1" in models
