"""Notices after a redirect: each page declares its own, named `<page>.<key>`."""

import re
from urllib.parse import urlencode

from aiohttp.test_utils import make_mocked_request
from hypothesis import given, settings
from hypothesis import strategies as st

from protheus.webapp.console import conversations, queue
from protheus.webapp.console.context import MAX_AGENT_REPLY
from protheus.webapp.console.views import notice, page_notices, parse_count, parse_id


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


COUNTED = page_notices("prueba_cuentas", {"hechos": "Escritos: {n}. Repetidos: {d}."})


def counted(query: dict[str, str]) -> str:
    return notice(make_mocked_request("GET", f"/consola/entrenamiento?{urlencode(query)}"))


def test_a_notice_s_counts_are_whole_numbers_or_there_is_no_notice():
    """Issue 24, finding 9: words in `n` or `d` were shown in the training banner."""
    assert counted({"aviso": COUNTED["hechos"], "n": "3", "d": "0"}) == "Escritos: 3. Repetidos: 0."
    injected = "0. AVISO: su sesión fue comprometida; llame al 555 0100"
    refused = ((injected, "0"), ("3", injected), ("-1", "0"), ("3", ""), ("３", "0"), ("1e3", "0"), ("9" * 5000, "0"))
    for n, d in refused:
        assert counted({"aviso": COUNTED["hechos"], "n": n, "d": d}) == "", (n, d)
    assert counted({"aviso": COUNTED["hechos"], "n": "3"}) == ""  # a count missing


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(n=st.text(max_size=40) | st.integers(min_value=-5, max_value=10**12).map(str), d=st.text(max_size=10))
def test_a_counted_notice_holds_only_its_fixed_words_and_numbers(n, d):
    shown = counted({"aviso": COUNTED["hechos"], "n": n, "d": d})
    assert shown == "" or re.fullmatch(r"Escritos: \d{1,10}\. Repetidos: \d{1,10}\.", shown)


def test_ids_and_counts_of_any_length_are_refused_not_a_500():
    assert parse_id("9" * 5000) is None and parse_count("9" * 5000) is None  # int() refuses > 4,300 digits
    assert parse_id(str(2**63 - 1)) == 2**63 - 1 and parse_id(str(2**63)) is None and parse_count("12") == 12
