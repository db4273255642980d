"""The customer page in a real browser: guideline replies over socket.io, fallback
buttons, and the conversation kept across a reload."""

import pytest

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
