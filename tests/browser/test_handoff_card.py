"""The rest of the customer page in a real browser: an error triage ending in the
hand-off card, a new conversation, a phone screen, keyboard use and accessibility."""

import re

import pytest

from protheus.common.messages import handoff_card
from protheus.common.settings import portal_url
from protheus.db.database import Database
from protheus.db.handoffs import HandoffStore
from tests.browser.conftest import accessibility_violations, shoot
from tests.browser.test_chat_page import ask, open_chat
from tests.e2e.test_rest import _first_vague

pytestmark = pytest.mark.server
REPLY_TIMEOUT = 20000


def session_id(page) -> str:
    return page.evaluate("JSON.parse(sessionStorage.getItem('chat_session')).session_id")


def answer(page, text: str, expect: str) -> None:
    page.fill(".rw-new-message", text)
    page.keyboard.press("Enter")
    page.wait_for_selector(f"text={expect}", timeout=REPLY_TIMEOUT)


def click_reply(page, title: str, expect: str) -> None:
    page.click(f".rw-reply:text-is('{title}')")
    page.wait_for_selector(f"text={expect}", timeout=REPLY_TIMEOUT)


def test_error_triage_ends_with_the_handoff_card(page, bot):
    ask(page, "Al grabar el pedido de venta en facturación me sale un error de índice duplicado")
    page.wait_for_selector("text=¿Se reproduce en un entorno estándar actualizado", timeout=REPLY_TIMEOUT)
    click_reply(page, "Sí", "¿Ocurre solo con determinados registros")
    click_reply(page, "No", "¿Cuál es su código de cliente?")
    answer(page, "STD01", "escriba el correo electrónico del facilitador")
    answer(page, "facilitador.std@example.com", "Registré su solicitud para Soporte Estándar")

    card = page.wait_for_selector(".handoff-card", timeout=REPLY_TIMEOUT)
    texts = handoff_card()
    assert card.query_selector(".handoff-title").inner_text() == texts["titulo"]
    assert card.query_selector(".handoff-channel").inner_text() == "Soporte Estándar"
    assert card.query_selector(".handoff-next").inner_text() == texts["canales"]["soporte_estandar"]["siguiente"]
    link = card.query_selector("a.handoff-link")
    assert link.get_attribute("href") == portal_url() and link.get_attribute("rel") == "noopener noreferrer"

    # The id on the card is the one registered, for this very conversation.
    handoff_id = card.query_selector(".handoff-id").inner_text()
    row = HandoffStore(Database(bot.env["DATABASE_URL"])).get(handoff_id)
    assert row is not None and row.channel == "soporte_estandar" and row.sender_id == session_id(page)
    assert row.intent == "reportar_error"
    shoot(page, "tarjeta-derivacion")
    assert accessibility_violations(page) == []

    # The card is part of the history: it comes back after a reload.
    page.reload()
    open_chat(page)
    assert page.wait_for_selector(".handoff-id", timeout=REPLY_TIMEOUT).inner_text() == handoff_id


def test_new_conversation_starts_afresh(page):
    ask(page, "¿en qué horario atienden?")
    page.wait_for_selector("text=Lunes a viernes 8am-6pm", timeout=REPLY_TIMEOUT)
    first = session_id(page)
    page.click("button.new-conversation")
    page.wait_for_selector(".rw-new-message", timeout=REPLY_TIMEOUT)  # the chat opens by itself
    page.wait_for_selector(".rw-response", timeout=REPLY_TIMEOUT)  # with the greeting
    assert session_id(page) != first
    assert re.fullmatch(r"[0-9a-f]{32}", session_id(page))  # the server's uuid4, not guessable
    assert page.locator("text=Lunes a viernes 8am-6pm").count() == 0


def test_long_guideline_text_keeps_its_bullets(page):
    ask(page, "¿qué es el soporte prime?")
    message = page.wait_for_selector(".rw-response:has-text('Operaciones complejas')", timeout=REPLY_TIMEOUT)
    # innerText follows the CSS: the bullets stay one per line instead of running together.
    lines = [line.strip() for line in message.inner_text().splitlines()]
    assert "• Operaciones complejas." in lines and "• Contacto directo." in lines


def test_phone_screen_360px(phone_page):
    page = phone_page
    page.wait_for_selector(".rw-launcher")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert accessibility_violations(page) == []
    ask(page, "¿La consultoría remota tiene costo?")
    page.wait_for_selector("text=100% facturado", timeout=REPLY_TIMEOUT)
    box = page.query_selector(".rw-conversation-container").bounding_box()
    assert box["width"] <= 360 and box["x"] >= 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shoot(page, "telefono-360")


def press_until(page, key: str, focused: str, times: int) -> bool:
    """Press `key` until the JavaScript condition `focused` holds, at most `times` times."""
    for _ in range(times):
        page.keyboard.press(key)
        if page.evaluate(focused):
            return True
    return False


def test_keyboard_only(page, bot):
    """Tab to the chat, write, and pick a clarification button, without a mouse."""
    page.wait_for_selector(".rw-launcher")
    page.wait_for_timeout(1500)
    if not press_until(page, "Tab", "document.activeElement.classList.contains('rw-launcher')", 12):
        pytest.fail("el botón del chat no se alcanza con Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Abrir el chat de soporte"
    page.keyboard.press("Enter")
    page.wait_for_selector(".rw-new-message")
    page.wait_for_function("document.activeElement.classList.contains('rw-new-message')")
    page.keyboard.type(_first_vague(bot))
    page.keyboard.press("Enter")
    page.wait_for_selector("text=¿Se refiere a alguna de estas opciones?", timeout=REPLY_TIMEOUT)
    if not press_until(page, "Shift+Tab", "document.activeElement.textContent.trim() === 'Ninguna de estas'", 20):
        pytest.fail("los botones de aclaración no se alcanzan con el teclado")
    assert page.evaluate("document.activeElement.getAttribute('role')") == "button"
    page.keyboard.press("Enter")
    page.wait_for_selector("text=¿Podría escribir su consulta con otras palabras?", timeout=REPLY_TIMEOUT)
    assert accessibility_violations(page) == []
