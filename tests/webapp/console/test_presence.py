"""«Disponible» / «ausente» in the console: agents mark it, the bot reads it, logging out leaves."""

from protheus.db.presence import PresenceStore
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
