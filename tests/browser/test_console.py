"""An agent in the console and a customer in the chat, in two real browsers (issue 15).

A working day: the agent says «disponible»; the customer's request reaches the queue page
without reloading (with a count in the tab title) and so does what the customer writes while
waiting; the agent takes it, tags the conversation, inserts a saved reply and edits it (the
customer sees «El agente está escribiendo…», then the reply); closes it; the customer answers
the survey; the analytics page, filtered by the tag, shows that conversation in every chart.
And a night: nobody available, the customer is told so and the bot keeps answering.
"""

import uuid
from urllib.parse import quote

import pytest

from protheus.db.accounts import AccountStore
from protheus.db.database import Database
from protheus.db.presence import PresenceStore
from protheus.db.saved_replies import SavedReplyStore
from tests.browser.conftest import accessibility_violations, open_page, shoot
from tests.browser.test_chat_page import ask

pytestmark = pytest.mark.server
TIMEOUT = 20000
PASSWORD = "clave-de-prueba-larga"
CHARTS = ("dias", "canales", "intenciones", "satisfaccion", "etiquetas", "dudas", "tiempos")


@pytest.fixture
def agent(bot) -> str:
    username = f"agente{uuid.uuid4().hex[:6]}"
    AccountStore(Database(bot.env["DATABASE_URL"])).create_user(username, "agente", PASSWORD)
    return username


@pytest.fixture
def console_page(browser, page_url):
    yield from open_page(browser, page_url + "consola", viewport={"width": 1200, "height": 900})


def log_in(console, agent: str) -> None:
    console.wait_for_selector("input#usuario")
    console.fill("#usuario", agent)
    console.fill("#clave", PASSWORD)
    console.click("button:text('Entrar')")
    console.wait_for_selector("h1:text('Cola de derivaciones')")


def test_an_available_agent_works_a_handoff_live_and_the_customer_rates_it(page, console_page, agent, bot, page_url):
    customer, console = page, console_page
    code = uuid.uuid4().hex[:6].upper()
    tag = f"prueba {code.lower()}"
    greeting = f"Hola, le escribe el equipo de Soporte: ya reviso su caso {code}."
    SavedReplyStore(Database(bot.env["DATABASE_URL"])).create(f"Saludo {code}", greeting, "jefa")

    log_in(console, agent)
    console.click("button:text('Marcar «disponible»')")
    console.wait_for_selector("#estado-agente:text('Disponible')")
    assert accessibility_violations(console) == []
    console.wait_for_timeout(1500)  # the page's live feed has connected

    # The customer asks for a person: the agent's page shows it without reloading.
    ask(customer, "quiero hablar con una persona")
    customer.wait_for_selector(".handoff-card .handoff-channel:text('Agente de Soporte')", timeout=TIMEOUT)
    handoff = customer.inner_text(".handoff-card .handoff-id").strip()
    console.wait_for_selector(f"#en-vivo li:has-text('Nueva derivación {handoff}')", timeout=TIMEOUT)
    console.wait_for_selector(f"#cola-lista tr[data-id='{handoff}']", timeout=TIMEOUT)
    assert console.title().startswith("(1) ")
    customer.fill(".rw-new-message", f"hola? hay alguien? {code}")
    customer.keyboard.press("Enter")
    console.wait_for_selector(f"#en-vivo li:has-text('hola? hay alguien? {code}')", timeout=TIMEOUT)
    shoot(console, "consola-cola-en-vivo")

    # Take it, tag the conversation, insert the saved reply and edit it.
    console.click(f"#cola-lista tr[data-id='{handoff}'] button:text('Tomar')")
    console.wait_for_selector("text=Derivación tomada")
    console.fill("#nueva-etiqueta", tag)
    console.click("button:text('Agregar etiqueta')")
    console.wait_for_selector(f"#anotaciones li:has-text('{tag}')")
    console.click(f"#texto-{handoff}")
    console.keyboard.type("/")  # the saved replies' picker
    console.keyboard.type(f"Saludo {code}")
    console.keyboard.press("Enter")
    console.keyboard.type(" ¿Me confirma el número de pedido?")
    customer.wait_for_selector(".agent-typing:text('El agente está escribiendo…')", timeout=TIMEOUT)
    console.click("button:text('Enviar respuesta')")
    console.wait_for_selector("text=Respuesta enviada al chat del cliente")
    customer.wait_for_selector(f"text={greeting} ¿Me confirma el número de pedido?", timeout=TIMEOUT)
    assert accessibility_violations(console) == []

    # Close it: the customer is told, and answers the survey.
    console.click("button:text('Cerrar derivación y reanudar el asistente')")
    console.wait_for_selector("text=Derivación cerrada")
    customer.wait_for_selector("text=El agente terminó la atención", timeout=TIMEOUT)
    customer.wait_for_selector(".survey-card:has-text('¿Cómo calificaría la atención?')", timeout=TIMEOUT)
    customer.click(".survey-card button:text('5 · Excelente')")
    customer.fill(".survey-card textarea", "Muy buena atención <b>gracias</b>")
    customer.click(".survey-card button:text('Enviar calificación')")
    customer.wait_for_selector(".survey-message:text('¡Gracias por su opinión!')", timeout=TIMEOUT)
    assert accessibility_violations(customer) == []
    shoot(customer, "chat-encuesta")
    customer.fill(".rw-new-message", "¿en qué horario atienden?")
    customer.keyboard.press("Enter")
    customer.wait_for_selector("text=Lunes a viernes 8am-6pm", timeout=TIMEOUT)  # the bot answers again

    # The analytics page, for this conversation alone: in every chart.
    console.goto(page_url + f"consola/analitica?etiqueta={quote(tag)}")
    assert console.inner_text("[data-cifra='conversaciones']") == "1"
    assert console.inner_text("[data-cifra='satisfaccion-agente']").startswith("5.0 / 5")
    for key in CHARTS:
        assert console.locator(f"svg[data-grafico='{key}']").count() == 1, key
    assert "Agente de Soporte" in console.inner_text("table[data-tabla='canales']")
    assert "hablar_con_humano" in console.inner_text("table[data-tabla='intenciones']")
    assert tag in console.inner_text("table[data-tabla='etiquetas']")
    assert f"hola? hay alguien? {code}" in console.inner_text("table[data-tabla='dudas']")
    assert accessibility_violations(console) == []
    shoot(console, "consola-analitica")


def test_with_no_agent_available_the_customer_is_told_and_the_bot_keeps_answering(page, bot):
    presence = PresenceStore(Database(bot.env["DATABASE_URL"]), idle_seconds=900)
    for username in presence.available_agents():
        presence.leave(username)
    ask(page, "quiero hablar con una persona")
    page.wait_for_selector(".rw-reply:text('Dejar mi solicitud en la cola')", timeout=TIMEOUT)
    assert "En este momento no hay agentes de Soporte disponibles" in page.inner_text(".rw-messages-container")
    assert page.get_attribute("a.rw-reply:text('Ir al Portal del cliente')", "href").startswith("https://")
    page.click(".rw-reply:text('Dejar mi solicitud en la cola')")
    page.wait_for_selector("text=Su solicitud quedó en la cola de agentes", timeout=TIMEOUT)
    page.wait_for_selector(".handoff-card .handoff-channel:text('Agente de Soporte')", timeout=TIMEOUT)
    page.fill(".rw-new-message", "¿en qué horario atienden?")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Lunes a viernes 8am-6pm", timeout=TIMEOUT)
    shoot(page, "chat-sin-agentes")
