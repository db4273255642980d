"""The customer page in a real browser: guideline replies over socket.io, fallback
buttons, and the conversation kept across a reload."""

import pytest
import requests

from tests.browser.conftest import shoot
from tests.e2e.test_rest import _first_vague

pytestmark = pytest.mark.server


def open_chat(page) -> None:
    """Open the widget unless it restored itself open (it does so a moment after loading)."""
    page.wait_for_selector(".rw-launcher")
    page.wait_for_timeout(1500)
    if not page.is_visible(".rw-new-message"):
        page.click(".rw-launcher")
    page.wait_for_selector(".rw-new-message")


def ask(page, text: str) -> None:
    open_chat(page)
    page.fill(".rw-new-message", text)
    page.keyboard.press("Enter")


def test_question_gets_its_guideline_text(page):
    ask(page, "¿qué es el soporte prime?")
    page.wait_for_selector("text=PRIME es un servicio de atención especializada", timeout=20000)
    shoot(page, "pauta-prime")


def test_reload_keeps_the_conversation(page):
    ask(page, "¿en qué horario atienden?")
    page.wait_for_selector("text=Lunes a viernes 8am-6pm", timeout=20000)
    page.reload()
    open_chat(page)
    page.wait_for_selector("text=Lunes a viernes 8am-6pm", timeout=20000)
    shoot(page, "historial-tras-recargar")


def test_fallback_buttons_are_clickable(page, bot):
    ask(page, _first_vague(bot))
    page.wait_for_selector("text=¿Se refiere a alguna de estas opciones?", timeout=20000)
    shoot(page, "aclaracion")
    page.click("button:has-text('Ninguna de estas'), .rw-reply:has-text('Ninguna de estas')")
    page.wait_for_selector("text=¿Podría escribir su consulta con otras palabras?", timeout=20000)


def _session_id(page) -> str:
    return page.evaluate("JSON.parse(sessionStorage.getItem('chat_session')).session_id")


def test_an_agents_link_to_javascript_is_shown_as_text(page, bot):
    ask(page, "¿en qué horario atienden?")
    page.wait_for_selector("text=Lunes a viernes 8am-6pm", timeout=20000)
    text = (
        "Revise [clic aquí](javascript:alert(document.cookie)) o [el portal](https://centraldeatendimento.totvs.com/)"
    )
    events = [{"event": "bot", "text": text, "metadata": {"agente": "prueba"}}]
    response = requests.post(
        f"{bot.base}/conversations/{_session_id(page)}/tracker/events",
        params={"token": bot.token, "output_channel": "latest", "execute_side_effects": "true"},
        json=events,
        timeout=30,
    )
    assert response.status_code == 200
    page.wait_for_selector("text=clic aquí", timeout=20000)
    hrefs = page.eval_on_selector_all("#chat a[href]", "links => links.map(l => l.getAttribute('href'))")
    assert "https://centraldeatendimento.totvs.com/" in hrefs
    assert not [h for h in hrefs if not h.startswith(("http://", "https://", "mailto:"))]
    shoot(page, "enlace-javascript-como-texto")


def test_a_browser_given_someone_elses_session_id_gets_its_own_conversation(browser, page_url, bot):
    contexts = [browser.new_context(), browser.new_context()]
    victim, attacker = (context.new_page() for context in contexts)
    try:
        victim.goto(page_url)
        ask(victim, "¿qué es el soporte prime?")
        victim.wait_for_selector("text=PRIME es un servicio de atención especializada", timeout=20000)
        stolen = _session_id(victim)
        attacker.goto(page_url)
        attacker.wait_for_selector(".rw-launcher")
        # The attacker knows the id (the console shows it) and puts it where the widget keeps its own.
        attacker.evaluate(
            "id => sessionStorage.setItem('chat_session', JSON.stringify({session_id: id, conversation: []}))", stolen
        )
        attacker.reload()
        open_chat(attacker)
        attacker.wait_for_selector(".rw-response", timeout=20000)
        attacker.wait_for_timeout(1500)
        assert _session_id(attacker) != stolen
        assert attacker.locator("text=PRIME es un servicio de atención especializada").count() == 0
        ask(attacker, "¿en qué horario atienden?")
        attacker.wait_for_selector("text=Lunes a viernes 8am-6pm", timeout=20000)
        victim_texts = [e.get("text") for e in bot.tracker(stolen)["events"] if e.get("event") == "user"]
        assert "¿en qué horario atienden?" not in victim_texts
    finally:
        for context in contexts:
            context.close()


def test_the_chat_embedded_in_a_page_elsewhere_cannot_connect(browser, page_url, bot):
    """A page on another origin loads the real widget and a fresh signed session (scripts load
    across origins), but Rasa refuses its socket.io connection: no conversation starts."""
    import http.server
    import socket
    import threading

    base = page_url.rstrip("/")
    scripts = "".join(
        f'<script src="{base}{path}"></script>'
        for path in ("/config.js", "/vendor/react.js", "/vendor/react-dom.js", "/vendor/webchat.js", "/static/app.js")
    )
    html = f'<!doctype html><html><body><div id="chat"></div>{scripts}</body></html>'.encode()

    class EvilPage(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *args):
            pass

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = http.server.HTTPServer(("127.0.0.1", port), EvilPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    try:
        evil = context.new_page()
        console: list[str] = []
        evil.on("console", lambda msg: console.append(msg.text))
        evil.goto(f"http://127.0.0.1:{port}/")
        evil.wait_for_timeout(6000)  # the real page has its greeting well within this
        assert evil.locator(".rw-response").count() == 0  # no greeting: no conversation at all
        assert evil.locator(".rw-launcher").count() == 0  # the widget never got connected
        assert any("poll error" in line or "CORS" in line for line in console), console
        shoot(evil, "chat-desde-otro-origen")
    finally:
        context.close()
        server.shutdown()
