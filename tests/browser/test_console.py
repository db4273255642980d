"""An agent in the console and a customer in the chat, in two real browsers: find the
conversation by its text, take the hand-off, reply (it reaches the chat), close it (the
bot answers again)."""

import uuid

import pytest

from protheus.db.accounts import AccountStore
from protheus.db.database import Database
from tests.browser.conftest import accessibility_violations, open_page, shoot
from tests.browser.test_chat_page import ask

pytestmark = pytest.mark.server
TIMEOUT = 20000
PASSWORD = "clave-de-prueba-larga"


@pytest.fixture
def agent(bot) -> str:
    username = f"agente{uuid.uuid4().hex[:6]}"
    AccountStore(Database(bot.env["DATABASE_URL"])).create_user(username, "agente", PASSWORD)
    return username


@pytest.fixture
def console_page(browser, page_url):
    yield from open_page(browser, page_url + "consola", viewport={"width": 1200, "height": 900})


def test_agent_takes_replies_and_closes_a_handoff(page, console_page, agent):
    customer, console = page, console_page
    code = f"ZX{uuid.uuid4().hex[:6].upper()}"

    # The customer asks for a person, then writes while waiting.
    ask(customer, "quiero hablar con una persona")
    customer.wait_for_selector(".handoff-card .handoff-channel:text('Agente de Soporte')", timeout=TIMEOUT)
    customer.fill(".rw-new-message", f"mi pedido {code} sigue bloqueado")
    customer.keyboard.press("Enter")

    # The agent logs in and finds the conversation by what the customer wrote.
    console.wait_for_selector("input#usuario")
    assert "/consola/entrar" in console.url
    console.fill("#usuario", agent)
    console.fill("#clave", PASSWORD)
    console.click("button:text('Entrar')")
    console.wait_for_load_state()
    assert "Cola de derivaciones" in console.inner_text("h1"), console.inner_text("main")
    assert accessibility_violations(console) == []
    console.click("nav >> text=Conversaciones")
    console.fill("#texto", code)
    console.click("button:text('Filtrar')")
    console.wait_for_selector("text=1 conversaciones")
    console.click("table.list tbody tr a")
    console.wait_for_selector(f"text=mi pedido {code} sigue bloqueado")
    console.wait_for_selector("text=El asistente está en pausa")

    # Take the hand-off and reply: the reply reaches the customer's chat.
    console.click("#derivaciones button:text('Tomar')")
    console.wait_for_selector("text=Derivación tomada")
    reply = f"Hola, soy {agent}. Ya reviso el pedido {code}."
    console.fill("#derivaciones textarea", reply)
    console.click("button:text('Enviar respuesta')")
    console.wait_for_selector("text=Respuesta enviada al chat del cliente")
    customer.wait_for_selector(f"text={reply}", timeout=TIMEOUT)
    assert accessibility_violations(console) == []
    shoot(console, "consola-transcripcion")

    # Close it: the customer is told, and the bot answers again.
    console.click("button:text('Cerrar derivación y reanudar el asistente')")
    console.wait_for_selector("text=Derivación cerrada")
    customer.wait_for_selector("text=El agente terminó la atención", timeout=TIMEOUT)
    customer.fill(".rw-new-message", "¿en qué horario atienden?")
    customer.keyboard.press("Enter")
    customer.wait_for_selector("text=Lunes a viernes 8am-6pm", timeout=TIMEOUT)
    shoot(customer, "chat-respuesta-del-agente")
