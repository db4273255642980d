"""/salud and the storage banner on every console page."""

from tests.webapp.console.conftest import USERS
from tests.webapp.console.console_client import console, run, write_status


def test_storage_failure_is_shown_in_the_console_and_health(db, status_file, chats):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            response = await c.client.get("/salud")
            assert response.status == 200 and (await response.json())["conversaciones_guardadas"] is True
            write_status(
                status_file,
                estado="fallo",
                fallos=3,
                ultimo_fallo=1795800100.0,
                ultimo_error="OperationalError: could not connect to server",
            )
            response = await c.client.get("/salud")
            health = await response.json()
            assert response.status == 503 and health["conversaciones_guardadas"] is False
            assert "no se están guardando" in health["avisos"][0]
            await c.login("ana")
            status, body = await c.get("/consola/cola")
            assert 'role="alert"' in body and "no se están guardando" in body
            status_file.unlink()  # Rasa running with no SQL store: it fell back to memory
            health = await (await c.client.get("/salud")).json()
            assert "solo en memoria" in health["avisos"][0]

    run(scenario)


def test_past_failures_stay_visible_after_recovery(db, status_file):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            write_status(status_file, estado="ok", fallos=4, ultimo_fallo=1795800100.0)
            response = await c.client.get("/salud")
            health = await response.json()
            assert response.status == 200 and health["conversaciones_guardadas"] is True
            assert "Hubo 4 fallos" in health["avisos"][0]

    run(scenario)


DATABASE_ERROR = 'OperationalError: connection to server at "db.interna" (10.0.0.7), port 5432 failed: user "soporte"'


def test_the_public_health_check_never_shows_the_database_s_error_admins_read_it(db, status_file):
    """Issue 24, finding 12: /salud showed anyone the database's last error (host, user)."""

    async def scenario():
        async with console(db, status_file, USERS) as c:
            write_status(status_file, estado="fallo", fallos=3, ultimo_fallo=1795800100.0, ultimo_error=DATABASE_ERROR)
            response = await c.client.get("/salud")
            public = await response.json()
            assert response.status == 503 and "no se están guardando" in public["avisos"][0]
            assert "db.interna" not in await response.text() and "detalles" not in public
            assert (await c.get("/consola/salud"))[0] == 303  # to the login
            await c.login("ana")
            assert (await c.get("/consola/salud"))[0] == 403
            status, body = await c.get("/consola/cola")
            assert "no se están guardando" in body and "db.interna" not in body  # the banner, without the error
            await c.post("/consola/salir")
            await c.login("jefa")
            response = await c.client.get("/consola/salud")
            details = await response.json()
            assert response.status == 503 and details["avisos"] == public["avisos"]
            assert details["detalles"] == [f"Último error al guardar conversaciones: {DATABASE_ERROR}"]
            assert response.headers["Cache-Control"] == "no-store"
            status, body = await c.get("/consola/cola")
            assert "db.interna" in body  # the admin's banner has it

    run(scenario)


def test_salud_says_degradado_while_the_replicas_redis_is_down_and_ok_when_it_is_back(
    db, status_file, redis_url, monkeypatch
):
    """Issue 25: with Redis stopped the replicas refuse every message, and /salud said «ok»."""
    from tests.tcp_proxy import Proxy

    proxy = Proxy(16399, int(redis_url.rsplit(":", 1)[1].split("/")[0]))
    monkeypatch.setenv("LOCK_STORE_URL", "redis://127.0.0.1:16399/" + redis_url.rsplit("/", 1)[1])

    async def scenario():
        async with console(db, status_file, USERS) as c:
            proxy.up()
            response = await c.client.get("/salud")
            health = await response.json()
            assert response.status == 200 and health["almacen_de_bloqueos"] is True, health
            proxy.down()  # Redis stops
            response = await c.client.get("/salud")
            health = await response.json()
            assert response.status == 503 and health["estado"] == "degradado" and health["almacen_de_bloqueos"] is False
            assert any("Redis" in warning for warning in health["avisos"])
            proxy.up()  # and comes back
            response = await c.client.get("/salud")
            assert response.status == 200 and (await response.json())["estado"] == "ok"

    try:
        run(scenario)
    finally:
        proxy.down()


def test_salud_names_no_lock_store_or_broker_where_the_profile_has_none(db, status_file, monkeypatch):
    monkeypatch.delenv("LOCK_STORE_URL", raising=False)

    async def scenario():
        async with console(db, status_file, USERS) as c:
            health = await (await c.client.get("/salud")).json()
            assert health["almacen_de_bloqueos"] is None and health["broker_de_eventos"] is None
            assert health["estado"] == "ok"

    run(scenario)
