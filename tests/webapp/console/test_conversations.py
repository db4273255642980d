"""Conversation pages over HTTP: contact data masked for trainers, exports, filters."""

import csv
import io
import json

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
