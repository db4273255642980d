"""Tags and internal notes over HTTP: agents and admins change them (CSRF, audit), trainers only
read them; tags are escaped, filter the list and go into the exports."""

import csv
import io
import json

from protheus.db.accounts import AccountStore
from protheus.db.annotations import MAX_NOTE, AnnotationStore
from tests.webapp.console.conftest import USERS
from tests.webapp.console.console_client import console, run

HOSTILE_TAG = "<script>alert(1)</script>"
TAGS = "/consola/conversaciones/web-agente/etiquetas"
NOTES = "/consola/conversaciones/web-agente/notas"


def _audited(db) -> list[tuple[str, str, dict]]:
    return [(e["username"], e["action"], e["detail"]) for e in AccountStore(db).audit_entries()]


def test_an_agent_tags_and_untags_a_conversation(db, status_file, chats):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            status, body = await c.get("/consola/conversaciones/web-agente")
            assert status == 200 and "Etiquetas y notas internas" in body and "Sin etiquetas." in body
            assert '<datalist id="etiquetas-sugeridas">' in body and '<option value="consulta repetida">' in body
            response = await c.post(TAGS, {"etiqueta": "  Error   Confirmado "})
            assert response.status == 303 and response.headers["Location"] == (
                "/consola/conversaciones/web-agente?aviso=anotaciones.agregada#anotaciones"
            )
            status, body = await c.get(response.headers["Location"])
            assert "Etiqueta agregada." in body and '<span class="tag"' in body and "error confirmado" in body
            again = await c.post(TAGS, {"etiqueta": "error confirmado"})
            assert "aviso=anotaciones.repetida" in again.headers["Location"]
            assert [t.tag for t in AnnotationStore(db).tags_of("web-agente")] == ["error confirmado"]
            removed = await c.post(TAGS, {"etiqueta": "error confirmado", "accion": "quitar"})
            assert "aviso=anotaciones.quitada" in removed.headers["Location"]
            assert AnnotationStore(db).tags_of("web-agente") == []
            audited = _audited(db)
            tag_detail = {"conversacion": "web-agente", "etiqueta": "error confirmado"}
            assert ("ana", "etiquetar_conversacion", tag_detail) in audited
            assert ("ana", "quitar_etiqueta", tag_detail) in audited
            assert [a for _, a, _ in audited].count("etiquetar_conversacion") == 1  # the repeat changed nothing

    run(scenario)


def test_bad_tags_and_notes_come_back_with_a_spanish_error(db, status_file, chats):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            response = await c.post(TAGS, {"etiqueta": "   "})
            assert "error=anotaciones.etiqueta_vacia" in response.headers["Location"]
            assert "Escriba una etiqueta." in (await c.get(response.headers["Location"]))[1]
            response = await c.post(TAGS, {"etiqueta": "x" * 61})
            assert "La etiqueta es muy larga" in (await c.get(response.headers["Location"]))[1]
            response = await c.post(NOTES, {"texto": "x" * (MAX_NOTE + 1)})
            assert "La nota es muy larga" in (await c.get(response.headers["Location"]))[1]
            response = await c.post(TAGS, {"etiqueta": "nunca puesta", "accion": "quitar"})
            assert "aviso=anotaciones.no_estaba" in response.headers["Location"]
            assert (await c.post("/consola/conversaciones/no-existe/etiquetas", {"etiqueta": "x"})).status == 404
            assert (await c.post("/consola/conversaciones/no-existe/notas", {"texto": "x"})).status == 404
            assert AnnotationStore(db).tags_of("no-existe") == [] and AnnotationStore(db).notes_of("web-agente") == []

    run(scenario)


def test_an_internal_note_is_shown_newest_first_and_audited(db, status_file, chats):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            status, body = await c.get("/consola/conversaciones/web-agente")
            assert "Nota interna (el cliente no la ve)" in body and "Sin notas." in body
            await c.post(NOTES, {"texto": "Primera nota"})
            response = await c.post(NOTES, {"texto": "Segunda nota <b>negrita</b>"})
            assert "aviso=anotaciones.nota" in response.headers["Location"]
            status, body = await c.get(response.headers["Location"])
            assert "Nota interna guardada." in body and "Segunda nota &lt;b&gt;negrita&lt;/b&gt;" in body
            assert body.index("Segunda nota") < body.index("Primera nota") and "ana ·" in body
            [note, _] = AnnotationStore(db).notes_of("web-agente")
            assert ("ana", "anotar_conversacion", {"conversacion": "web-agente", "nota": note.id}) in _audited(db)
            assert c.rasa.posted == []  # nothing reached the customer's chat

    run(scenario)


def test_trainers_read_tags_and_notes_but_cannot_change_them(db, status_file, chats):
    AnnotationStore(db).add_tag("web-contacto", "consulta repetida", "ana")
    AnnotationStore(db).add_note("web-contacto", "ana", "Llamar a juan.perez@empresa.com")

    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("tere")
            status, body = await c.get("/consola/conversaciones/web-contacto")
            assert status == 200 and "consulta repetida" in body and "Llamar a j***@***.com" in body
            assert "juan.perez@empresa.com" not in body
            assert "/etiquetas" not in body and "/notas" not in body  # no forms
            untag = {"etiqueta": "consulta repetida", "accion": "quitar"}
            for path, form in (("web-contacto/etiquetas", untag), ("web-contacto/notas", {"texto": "mía"})):
                assert (await c.post(f"/consola/conversaciones/{path}", form)).status == 403
            assert [t.tag for t in AnnotationStore(db).tags_of("web-contacto")] == ["consulta repetida"]
            assert len(AnnotationStore(db).notes_of("web-contacto")) == 1

    run(scenario)


def test_changes_without_the_csrf_token_are_refused(db, status_file, chats):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("jefa")
            assert (await c.post(TAGS, {"etiqueta": "error confirmado"}, csrf=False)).status == 403
            assert (await c.post(NOTES, {"texto": "sin token"}, csrf=False)).status == 403
            assert (await c.post(TAGS, {"etiqueta": "x"}, origin="http://otro.example")).status == 403
            assert AnnotationStore(db).tags_of("web-agente") == [] and AnnotationStore(db).notes_of("web-agente") == []
            assert (await c.post(TAGS, {"etiqueta": "revisada por la jefa"})).status == 303  # admins may
            status, body = await c.get("/consola/conversaciones/web-agente")
            assert 'name="csrf"' in body and "revisada por la jefa" in body

    run(scenario)


def test_a_hostile_tag_is_shown_escaped_everywhere(db, status_file, chats):
    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            await c.post(TAGS, {"etiqueta": HOSTILE_TAG})
            for path in ("/consola/conversaciones/web-agente", "/consola/conversaciones"):
                status, body = await c.get(path)
                assert status == 200 and HOSTILE_TAG not in body, path
                assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, path

    run(scenario)


def test_the_list_filters_by_tag_and_shows_the_tags(db, status_file, chats):
    annotations = AnnotationStore(db)
    annotations.add_tag("web-agente", "error confirmado", "ana")
    annotations.add_tag("web-hostil", "error confirmado", "ana")
    annotations.add_tag("web-hostil", "consulta repetida", "ana")

    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            status, body = await c.get("/consola/conversaciones")
            assert status == 200 and "4 conversaciones" in body
            assert '<option value="error confirmado" >error confirmado</option>' in body
            status, body = await c.get("/consola/conversaciones?etiqueta=Error+Confirmado")
            assert status == 200 and "2 conversaciones" in body
            assert "web-agente" in body and "web-hostil" in body and "web-contacto" not in body
            assert '<span class="tag">consulta repetida</span>' in body
            assert "exportar.csv?etiqueta=Error+Confirmado" in body  # the export follows the filter
            status, body = await c.get("/consola/conversaciones?etiqueta=" + "x" * 61)
            assert status == 400 and "La etiqueta es muy larga" in body

    run(scenario)


def test_the_exports_carry_the_tags(db, status_file, chats):
    annotations = AnnotationStore(db)
    annotations.add_tag("web-hostil", "error confirmado", "ana")
    annotations.add_tag("web-hostil", "consulta repetida", "ana")
    annotations.add_tag("web-agente", "=cmd()", "ana")

    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            status, body = await c.get("/consola/conversaciones/exportar.csv")
            rows = {r["conversacion"]: r for r in csv.DictReader(io.StringIO(body.lstrip("\ufeff")))}
            assert status == 200 and rows["web-hostil"]["etiquetas"] == "consulta repetida; error confirmado"
            assert rows["web-agente"]["etiquetas"] == "'=cmd()" and rows["web-contacto"]["etiquetas"] == ""
            status, body = await c.get("/consola/conversaciones/exportar.json?etiqueta=error+confirmado")
            [record] = json.loads(body)
            assert record["conversacion"] == "web-hostil"
            assert record["etiquetas"] == ["consulta repetida", "error confirmado"]

    run(scenario)
