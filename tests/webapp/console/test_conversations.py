"""Conversation pages over HTTP: contact data masked for trainers, exports, filters."""

import csv
import io
import json
import re
from urllib.parse import quote

import pytest

from tests.events import session_start, store, user
from tests.webapp.console.conftest import CONTACT, USERS
from tests.webapp.console.console_client import console, run


def test_contact_data_is_masked_for_trainers_only(db, status_file, chats):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("tere")
            for path in (
                "/consola/conversaciones",
                "/consola/conversaciones/web-contacto",
                "/consola/conversaciones/exportar.csv",
                "/consola/conversaciones/exportar.json",
            ):
                status, body = await c.get(path)
                assert status == 200 and "juan.perez@empresa.com" not in body and "1234 5678" not in body, path
                assert "j***@***.com" in body, path
        async with console(db, status_file) as c:
            await c.login("ana")
            assert "juan.perez@empresa.com" in (await c.get("/consola/conversaciones/web-contacto"))[1]

    run(scenario)


def test_exports_follow_the_filters(db, status_file, chats):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            status, body = await c.get("/consola/conversaciones/exportar.csv?confianza_menor=0.6")
            rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
            assert status == 200 and {r["conversacion"] for r in rows} == {"web-hostil", "web-contacto", "web-formula"}
            formula = next(r for r in rows if r["conversacion"] == "web-formula")
            assert formula["primer_mensaje"] == '\'=HYPERLINK("http://malo")'  # a spreadsheet shows it as text
            contact = next(r for r in rows if r["conversacion"] == "web-contacto")
            assert contact["primer_mensaje"] == CONTACT and contact["confianza_minima"] == "0.3"
            status, body = await c.get("/consola/conversaciones/exportar.json?intencion=hablar_con_humano")
            [record] = json.loads(body)
            assert record["conversacion"] == "web-agente" and record["derivaciones"].endswith(":agente_humano:abierto")
            from protheus.db.accounts import AccountStore

            assert any(e["action"] == "exportar_conversaciones" for e in AccountStore(db).audit_entries())

    run(scenario)


def test_a_nul_a_customer_sent_does_not_break_the_csv_export(db, status_file):
    """Found by the fuzz (tests/e2e/test_fuzz.py): the csv module refused the whole export."""
    if db.engine.dialect.name == "postgresql":
        pytest.skip("PostgreSQL refuses the NUL before any export (tests/db/test_conversations.py)")
    store(db, "web-nul\x00", session_start() + [user("hola\x00 mundo", "saludo", 0.9)], 1796000000.0)

    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            status, body = await c.get("/consola/conversaciones/exportar.csv")
            [row] = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
            assert status == 200 and row["conversacion"] == "web-nul" and row["primer_mensaje"] == "hola mundo"

    run(scenario)


def test_bad_filters_get_a_spanish_message(db, status_file, chats):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            status, body = await c.get("/consola/conversaciones?desde=27-11-2026&confianza_menor=mucho")
            assert status == 400 and "use el formato AAAA-MM-DD" in body
            status, body = await c.get("/consola/conversaciones/exportar.csv?confianza_menor=mucho")
            assert status == 400 and "número entre 0 y 1" in body
            status, body = await c.get("/consola/conversaciones/no-existe")
            assert status == 404 and "No hay ninguna conversación" in body

    run(scenario)


WHATSAPP = "whatsapp:+5215512345678"
WRITTEN = "mi otro número es 55.8765.4321 y el correo juan＠empresa.com"


@pytest.fixture
def whatsapp(db, chats):
    store(db, WHATSAPP, session_start() + [user(WRITTEN, "contacto_soporte", 0.4)], 1796000000.0)


async def _found(c, text: str) -> int:
    """How many conversations the list's text filter finds."""
    status, body = await c.get(f"/consola/conversaciones?texto={quote(text)}")
    assert status == 200
    return int(re.search(r"(\d+) conversaciones", body).group(1))


DIALLED = ["+", *"0123456789", *(f" {digit}" for digit in "0123456789")]  # the filter drops a trailing space


async def _rebuild(c, anchor: str, alphabet: list[str] | str, steps: int) -> str:
    """The attack of finding 3: extend what follows a visible anchor one character at a time."""
    known = ""
    for _ in range(steps):
        following = [char for char in alphabet if await _found(c, anchor + known + char)]
        if not following:
            break
        known += following[0]
    return known


def test_a_trainer_cannot_rebuild_a_contact_by_prefix_search(db, status_file, chats):
    """Issue 24, finding 3: the text filter searched the unmasked text, so a trainer rebuilt a
    phone in 177 requests and an e-mail in 580. Admins (who see contacts) still find them."""

    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("tere")
            assert await _rebuild(c, "o al ", DIALLED, 6) == ""
            assert await _rebuild(c, "escríbanme a ", "jnuaperz.@", 6) == "j"  # the letter the masking shows
            for probe in ("juan", "juan.perez@empresa.com", "+52 55 1234", "1234 5678"):
                assert await _found(c, probe) == 0, probe
                status, body = await c.get(f"/consola/conversaciones/exportar.json?texto={quote(probe)}")
                assert status == 200 and json.loads(body) == [], probe
            assert await _found(c, "j***@***.com o al *** *** 78") == 1  # what a trainer sees, they may search
        async with console(db, status_file) as c:
            await c.login("jefa")
            assert await _rebuild(c, "o al ", DIALLED, 6) == "+52 55 1"
            assert await _found(c, "juan.perez@empresa.com") == 1
            status, body = await c.get("/consola/conversaciones/exportar.json?texto=juan.perez")
            assert [r["conversacion"] for r in json.loads(body)] == ["web-contacto"]

    run(scenario)


def test_a_conversation_id_holding_a_phone_is_masked_for_trainers(db, status_file, whatsapp):
    """Issue 24, finding 6: dotted phones, full-width at signs and ids such as whatsapp:+52…
    reached the trainer's list, transcript and exports."""
    secrets = ("5215512345678", "8765.4321", "juan＠empresa", "juan@empresa")

    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("tere")
            status, listing = await c.get(f"/consola/conversaciones?texto={quote('*** *** 21')}")
            assert status == 200 and "whatsapp:*** *** 78" not in listing  # the list links, it does not show ids
            [link] = re.findall(r'href="(/consola/conversaciones/evento/\d+)"', listing)
            pages = [listing, (await c.get(link))[1]]
            for export in ("csv", "json"):
                pages.append((await c.get(f"/consola/conversaciones/exportar.{export}?texto=mi+otro"))[1])
            assert all(secret not in page for page in pages for secret in secrets)
            assert "whatsapp:*** *** 78" in pages[1] and "whatsapp:*** *** 78" in pages[2]
            assert "mi otro número es *** *** 21 y el correo j***@***.com" in pages[1]
            event_id = re.search(r'action="/consola/mensajes/(\d+)/marcar"', pages[1]).group(1)
            flagged = await c.post(f"/consola/mensajes/{event_id}/marcar", {"conversacion": "whatsapp:*** *** 78"})
            assert flagged.status == 303 and flagged.headers["Location"].startswith(f"{link}?")
            assert "5215512345678" not in (await c.get("/consola/entrenamiento"))[1]  # the inbox links by event
        async with console(db, status_file) as c:
            await c.login("ana")
            status, listing = await c.get(f"/consola/conversaciones?texto={quote(WHATSAPP)}")
            assert status == 200 and f'href="/consola/conversaciones/{quote(WHATSAPP, safe="")}"' in listing
            assert WRITTEN in (await c.get(f"/consola/conversaciones/{quote(WHATSAPP, safe='')}"))[1]

    run(scenario)
