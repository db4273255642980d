"""Console security over HTTP: every page needs a login, cookies and throttling, roles, CSRF and
Origin, escaping. On SQLite and PostgreSQL, with a fake Rasa HTTP API."""

from collections.abc import Callable

import pytest

from protheus.db.accounts import FREE_FAILURES
from protheus.db.conversations import ConversationStore
from protheus.db.handoffs import HandoffStore
from tests.webapp.console.conftest import USERS
from tests.webapp.console.console_client import console, run


def test_every_console_page_needs_a_login(db, status_file):
    async def scenario():
        async with console(db, status_file) as c:
            routes = [
                (r.method, r.resource.canonical)
                for r in c.client.app.router.routes()
                if r.resource
                and r.resource.canonical.startswith("/consola")
                and r.resource.canonical != "/consola/entrar"
            ]
            assert len(routes) >= 12
            for method, path in routes:
                path = path.replace("{reply_id}", "1")
                path = path.replace("{formato}", "csv").format(
                    sender_id="x", event_id="1", handoff_id="D1", user_id="1", name="m.tar.gz", file="m-confusion.png"
                )
                path = path.replace("exportar.{formato:csv|json}", "exportar.csv")
                if method == "GET":
                    status, _ = await c.get(path)
                    assert status == 303, path
                else:
                    response = await c.post(path, csrf=False)
                    assert response.status == 401, path

    run(scenario)


def test_login_sets_a_safe_cookie_and_wrong_passwords_are_throttled(db, status_file):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            for _ in range(FREE_FAILURES + 1):
                assert await c.login("ana", "no-es-la-clave") == 401
            assert await c.login("ana") == 429  # the next attempt from here waits, right password or not
            page = await c.client.get("/consola/entrar")
            token = (await page.text()).split('name="csrf_entrada" value="')[1].split('"')[0]
            response = await c.client.post(
                "/consola/entrar",
                allow_redirects=False,
                headers={"Origin": c.origin},
                data={"usuario": "tere", "clave": "una-clave-larga-1", "csrf_entrada": token},
            )
            cookie = response.headers["Set-Cookie"]
            assert response.status == 303
            assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/consola" in cookie

    run(scenario)


@pytest.mark.parametrize(
    "username, allowed, forbidden",
    [
        (
            "ana",
            ["/consola/cola", "/consola/conversaciones"],
            ["/consola/entrenamiento", "/consola/entrenamiento/modelos", "/consola/usuarios"],
        ),
        (
            "tere",
            ["/consola/entrenamiento", "/consola/entrenamiento/modelos", "/consola/conversaciones"],
            ["/consola/cola", "/consola/usuarios"],
        ),
        ("jefa", ["/consola/cola", "/consola/entrenamiento", "/consola/usuarios"], []),
    ],
)
def test_roles(db, status_file, username, allowed, forbidden):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            assert await c.login(username) == 303
            for path in allowed:
                assert (await c.get(path))[0] == 200, path
            for path in forbidden:
                status, body = await c.get(path)
                assert status == 403 and "No tiene permiso" in body, path

    run(scenario)


def test_forms_need_the_csrf_token_and_this_origin(db, status_file, chats):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            path = f"/consola/derivaciones/{chats.id}/tomar"
            assert (await c.post(path, csrf=False)).status == 403
            assert (await c.post(path, origin="http://malicioso.example")).status == 403
            assert HandoffStore(db).get(chats.id).status == "abierto"
            assert (await c.post(path)).status == 303
            assert HandoffStore(db).get(chats.id).status == "en_curso"

    run(scenario)


def test_hostile_chat_text_is_escaped_everywhere(db, status_file, chats):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("jefa")
            ConversationStore(db).sync()
            ids = [e["_id"] for e in ConversationStore(db).events("web-hostil") if e.get("event") == "user"]
            await c.post(f"/consola/mensajes/{ids[1]}/marcar", {"conversacion": "web-hostil"})
            pages = [
                await c.get("/consola/conversaciones"),
                await c.get("/consola/conversaciones/web-hostil"),
                await c.get("/consola/conversaciones?texto=%3Cscript%3E"),
                await c.get("/consola/entrenamiento"),
            ]
            for status, body in pages:
                assert status == 200
                for raw in ("<script>alert", "<img src=x", "<svg onload", "<b>respuesta"):
                    assert raw not in body
            assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in pages[1][1]
            assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in pages[3][1]

    run(scenario)


async def _guess_names(c, real_ip: Callable[[int], str], count: int) -> list[int]:
    """`count` logins for names that do not exist, each saying X-Real-IP `real_ip(attempt)`."""
    statuses = []
    for attempt in range(count):
        page = await c.client.get("/consola/entrar")
        token = (await page.text()).split('name="csrf_entrada" value="')[1].split('"')[0]
        response = await c.client.post(
            "/consola/entrar",
            allow_redirects=False,
            headers={"Origin": c.origin, "X-Real-IP": real_ip(attempt)},
            data={"usuario": f"nadie{attempt}", "clave": "no-es-la-clave", "csrf_entrada": token},
        )
        statuses.append(response.status)
    return statuses


def test_a_spoofed_real_ip_does_not_dodge_the_login_limit(db, status_file, monkeypatch):
    """Finding 1: X-Real-IP was believed from any caller. Without TRUSTED_PROXIES it is the caller's
    word: changing it on every attempt still counts every failure under the caller's address."""
    from protheus.common import addresses
    from protheus.db.accounts import MAX_FAILURES_PER_REMOTE

    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    addresses._proxies.cache_clear()

    async def scenario():
        async with console(db, status_file, USERS) as c:
            statuses = await _guess_names(c, lambda n: f"198.51.100.{n % 250}", MAX_FAILURES_PER_REMOTE + 1)
            assert statuses[:-1] == [401] * MAX_FAILURES_PER_REMOTE and statuses[-1] == 429
            assert await c.login("ana") == 303  # a real user from the same address still gets in

    run(scenario)
    addresses._proxies.cache_clear()


def test_behind_a_trusted_proxy_two_clients_are_counted_apart(db, status_file, monkeypatch):
    from protheus.common import addresses
    from protheus.db.accounts import MAX_FAILURES_PER_REMOTE

    monkeypatch.setenv("TRUSTED_PROXIES", "127.0.0.1")
    addresses._proxies.cache_clear()

    async def scenario():
        async with console(db, status_file, USERS) as c:
            for client in ("198.51.100.7", "203.0.113.9"):
                statuses = await _guess_names(c, lambda n, client=client: client, MAX_FAILURES_PER_REMOTE + 1)
                assert statuses[:-1] == [401] * MAX_FAILURES_PER_REMOTE and statuses[-1] == 429, client

    run(scenario)
    addresses._proxies.cache_clear()


def test_a_page_refreshing_itself_does_not_extend_the_session(db, status_file):
    import time

    from sqlalchemy import update

    from protheus.db.models import ConsoleSession

    def seen() -> float:
        with db.session() as session:
            return session.query(ConsoleSession.last_seen_at).scalar()

    def age(seconds: float) -> None:
        with db.session() as session:
            session.execute(update(ConsoleSession).values(last_seen_at=time.time() - seconds))

    async def scenario():
        async with console(db, status_file, USERS) as c:
            assert await c.login("ana") == 303
            age(600)
            before = seen()
            status, _ = await c.get("/consola/cola?refresco=1")  # the queue page redrawing itself
            assert status == 200 and seen() == before
            status, _ = await c.get("/consola/cola")  # the agent opening it
            assert status == 200 and seen() > before + 500

    run(scenario)
