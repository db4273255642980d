"""Notices after a redirect: each page declares its own, named `<page>.<key>`."""

from aiohttp.test_utils import make_mocked_request

from protheus.webapp.console import conversations, queue
from protheus.webapp.console.context import MAX_AGENT_REPLY
from protheus.webapp.console.views import notice, page_notices


def test_each_page_names_its_own_notices():
    assert queue.NOTICES["tomada"] == "cola.tomada" and conversations.NOTICES["marcado"] == "conversacion.marcado"
    request = make_mocked_request("GET", "/consola/conversaciones/x?aviso=cola.tomada&error=cola.larga")
    assert notice(request) == "Derivación tomada: ahora está a su cargo."
    assert notice(request, "error") == f"La respuesta es muy larga (máximo {MAX_AGENT_REPLY} caracteres)."


def test_unknown_or_bare_keys_show_nothing():
    page_notices("prueba", {"hecho": "Hecho."})
    assert notice(make_mocked_request("GET", "/consola?aviso=prueba.hecho")) == "Hecho."
    for query in ("aviso=hecho", "aviso=prueba.otro", "aviso=<script>", ""):
        assert notice(make_mocked_request("GET", f"/consola?{query}")) == ""
