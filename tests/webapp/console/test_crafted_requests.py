"""Crafted requests against the console (issue 13): a clear 4xx, never a 500, and the security
headers on every response, redirects and errors included; banners only from fixed keys."""

import re
from datetime import date
from html import unescape
from urllib.parse import quote_plus, unquote_plus, urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protheus.db.accounts import AccountStore
from protheus.webapp.console import inbox
from tests.webapp.console.conftest import USERS
from tests.webapp.console.console_client import PASSWORD, console, run


def test_non_utf8_login_body_is_a_400_not_a_500(db, status_file):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            response = await c.client.post(
                "/consola/entrar",
                data=b"usuario=ana&clave=\xff\xfe",
                headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": c.origin},
                allow_redirects=False,
            )
            assert response.status == 400 and "UTF-8" in await response.text()

    run(scenario)


UNREADABLE_FORMS = {
    "sin boundary": ("multipart/form-data", b"usuario=ana"),
    "nombre con NUL": (
        "multipart/form-data; boundary=x",
        b'--x\r\nContent-Disposition: form-data; name="\x00"\r\n\r\nv\r\n--x--\r\n',
    ),
    "codificación desconocida": (
        "multipart/form-data; boundary=x",
        b'--x\r\nContent-Disposition: form-data; name="a"\r\nContent-Transfer-Encoding: zzz\r\n\r\nv\r\n--x--\r\n',
    ),
    "charset desconocido": (
        "multipart/form-data; boundary=x",
        b'--x\r\nContent-Disposition: form-data; name="a"\r\nContent-Type: text/plain; charset=zzz\r\n'
        b"\r\nv\r\n--x--\r\n",
    ),
}


def test_unreadable_forms_are_a_400_not_a_500(db, status_file):
    """Found by the fuzz (tests/e2e/test_fuzz.py): aiohttp raised while parsing these bodies."""

    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("jefa")
            for name, (content_type, body) in UNREADABLE_FORMS.items():
                for path in ("/consola/entrar", "/consola/usuarios"):
                    response = await c.client.post(
                        path,
                        data=body,
                        headers={"Content-Type": content_type, "Origin": c.origin},
                        allow_redirects=False,
                    )
                    assert response.status == 400, (name, path, response.status)
                    assert "mal formado" in await response.text(), (name, path)
            assert (await c.get("/consola/usuarios"))[0] == 200  # the session goes on

    run(scenario)


def test_ids_beyond_64_bits_are_a_400_not_a_500(db, status_file, chats):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("jefa")
            huge = "9" * 30
            assert (await c.post(f"/consola/mensajes/{huge}/marcar", {"nota": "x"})).status == 400
            assert (await c.post(f"/consola/usuarios/{huge}", {"rol": "agente"})).status == 400

    run(scenario)


def test_redirects_and_not_found_carry_the_security_headers(db, status_file):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            for path, status in (("/consola/cola", 303), ("/no-existe", 404), ("/consola/no-existe", 303)):
                response = await c.client.get(path, allow_redirects=False)
                assert response.status == status, path
                assert response.headers.get("X-Content-Type-Options") == "nosniff", path
                assert response.headers.get("X-Frame-Options") == "DENY", path
                assert "frame-ancestors 'none'" in response.headers.get("Content-Security-Policy", ""), path

    run(scenario)


def test_banners_come_only_from_fixed_keys(db, status_file):
    attacker = "Sesión vencida: escriba su contraseña en http://evil.example"

    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("tere")
            for path in ("/consola/entrenamiento", "/consola/entrenamiento/modelos", "/consola/cola"):
                for parameter in ("error_texto", "aviso", "error"):
                    status, body = await c.get(f"{path}?{parameter}={attacker}")
                    assert "evil.example" not in body, (path, parameter)

    run(scenario)


def test_words_in_a_banner_s_counts_are_not_shown_even_through_the_login(db, status_file):
    """Issue 24, finding 9: «Mensajes descartados: 0. AVISO: su sesión fue comprometida; llame al …»
    from a link's `n`, kept across the login redirect."""
    injected = "0. AVISO: su sesión fue comprometida; llame al 555 0100"
    link = "/consola/entrenamiento?" + urlencode({"aviso": inbox.NOTICES["descartados"], "n": injected})

    async def scenario():
        async with console(db, status_file, USERS) as c:
            status, _ = await c.get(link)
            login_page = await c.client.get(link)  # to the login, the link kept in ?siguiente=
            token = re.search(r'name="csrf_entrada" value="([^"]+)"', await login_page.text()).group(1)
            siguiente = re.search(r'name="siguiente" value="([^"]+)"', await login_page.text()).group(1)
            response = await c.client.post(
                "/consola/entrar",
                allow_redirects=False,
                headers={"Origin": c.origin},
                data={"usuario": "tere", "clave": PASSWORD, "csrf_entrada": token, "siguiente": unescape(siguiente)},
            )
            assert status == 303 and unquote_plus(response.headers["Location"]) == unquote_plus(link)
            status, body = await c.get(response.headers["Location"])
            assert status == 200 and "comprometida" not in body and "Mensajes descartados" not in body
            status, body = await c.get(link.replace(quote_plus(injected), "4"))
            assert "Mensajes descartados: 4." in body

    run(scenario)


def test_a_trainer_sees_the_handoff_summary_masked(db, status_file, chats):
    from protheus.db.handoffs import HandoffStore

    HandoffStore(db).create(
        sender_id="web-contacto",
        channel="soporte_estandar",
        intent="contacto_soporte",
        slots={},
        summary="Cliente STD01 · email: juan.perez@example.com · teléfono +52 55 1234 5678",
    )

    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("tere")
            status, body = await c.get("/consola/conversaciones/web-contacto")
            assert status == 200 and "Cliente STD01" in body
            assert "juan.perez@example.com" not in body and "1234 5678" not in body

    run(scenario)


DATED_PAGES = (
    "/consola/analitica",
    "/consola/analitica.csv",
    "/consola/conversaciones",
    "/consola/conversaciones/exportar.csv",
    "/consola/conversaciones/exportar.json",
)
days = (
    st.sampled_from(["", "0001-01-01", "9999-12-31", "1999-12-31", "2000-01-01", "2100-12-31", "2101-01-01"])
    | st.dates().map(date.isoformat)
    | st.text(max_size=20)
)
counts = st.integers(min_value=0, max_value=10**12).map(str) | st.text(max_size=30)


@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # the requests only read
)
@given(queries=st.lists(st.tuples(days, days, counts, counts), min_size=6, max_size=6))
def test_fuzzed_dates_and_banner_counts_are_a_page_or_a_400_never_a_500(db, status_file, queries):
    """Issue 24, point 9, as the fuzz would send it (tests/e2e/test_fuzz.py does not cover these)."""
    banner = inbox.NOTICES["etiquetados"]

    first = not AccountStore(db).users()  # the examples share the test's database

    async def scenario():
        async with console(db, status_file, USERS if first else None) as c:
            await c.login("jefa")
            for start, end, n, d in queries:
                for path in DATED_PAGES:
                    status, _ = await c.get(f"{path}?{urlencode({'desde': start, 'hasta': end})}")
                    assert status in (200, 400), (path, start, end, status)
                status, body = await c.get(f"/consola/entrenamiento?{urlencode({'aviso': banner, 'n': n, 'd': d})}")
                numbers = all(v.isascii() and v.isdigit() and int(v) <= 10**9 for v in (n, d))
                assert status == 200 and ("Ejemplos escritos en los datos" in body) == numbers, (n, d)

    run(scenario)
