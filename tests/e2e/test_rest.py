"""The bot through the real REST webhook: guideline replies, bad input, fallback, API token."""

import pytest
import requests

from tests.conftest import normalise

pytestmark = pytest.mark.server

BAD_INPUTS = {
    "vacio": "",
    "en_blanco": "   \n\t ",
    "muy_largo": ("Al grabar el pedido de venta en MATA410 aparece un error.log con la pila de llamadas. " * 60)[:5000],
    "una_palabra_larga": "a" * 5000,
    "solo_emoji": "😀😀🙏",
    "ingles": "Hello, what is the weather like in London today?",
    "script": "<script>alert('hola')</script>",
    "img_onerror": '<img src=x onerror="alert(1)">',
    "caracteres_control": "hola\x00\x07\x1b[31m\x08",
}


def joined(replies: list[dict]) -> str:
    """Rasa sends each paragraph of a reply as its own message: join them back."""
    return normalise(" ".join(r.get("text", "") for r in replies))


def canned_texts(domain) -> list[str]:
    """Every reply the bot can send: domain responses and the actions' texts (mensajes.yml)."""
    import yaml

    from protheus.common.messages import MESSAGES_FILE
    from protheus.common.settings import support_contact

    texts = [v["text"] for variants in domain.responses.values() for v in variants if v.get("text")]
    data = yaml.safe_load(MESSAGES_FILE.read_text(encoding="utf-8"))
    texts += [entry["text"] for name in ("preguntas", "mensajes") for entry in data[name].values()]
    contact = support_contact()
    return [normalise(t.replace("{correo_soporte}", contact)) for t in texts]


def test_clear_question_gets_its_guideline_text(bot, sender):
    text = joined(bot.replies(sender, "buenas, ¿qué es el soporte prime?"))
    assert "PRIME es un servicio de atención especializada" in text


@pytest.mark.parametrize("kind", sorted(BAD_INPUTS))
def test_bad_input_gets_a_polite_spanish_reply_and_the_bot_keeps_working(bot, sender, domain, kind):
    response = bot.send(sender, BAD_INPUTS[kind])
    assert response.status_code == 200
    replies = response.json()
    assert replies, f"sin respuesta para {kind}"
    text = joined(replies)
    assert "Traceback" not in text and "Exception" not in text
    first = normalise(replies[0]["text"])
    # A canned text, or one whose placeholders ({largo}, ...) were filled in.
    assert any(
        first in canned or first.startswith(canned.split("{")[0])
        for canned in canned_texts(domain)
        if len(canned.split("{")[0]) >= 10
    ), f"{kind}: respuesta inesperada {first!r}"

    follow_up = bot.replies(sender, "¿en qué horario atienden?")
    assert any("Lunes a viernes 8am-6pm" in r.get("text", "") for r in follow_up)


def test_too_long_message_is_refused_with_its_length(bot, sender):
    [reply] = bot.replies(sender, "x" * 2500)
    assert "Su mensaje es muy largo (2500 caracteres; el máximo es 2000)" in reply["text"]
    assert not any(e.get("event") == "user" and len(e.get("text") or "") > 2000 for e in bot.tracker(sender)["events"])


def test_wordless_input_asks_for_words(bot, sender, domain):
    [reply] = bot.replies(sender, "🙏🙏")
    assert normalise(reply["text"]) == normalise(domain.responses["utter_entrada_no_valida"][0]["text"])


VAGUE_MESSAGES = [
    "consultoría",
    "prime",
    "ayuda",
    "el sistema",
    "soporte",
    "costo",
    "información",
    "una pregunta",
    "necesito algo",
    "el tema",
]


def _first_vague(bot) -> str:
    for text in VAGUE_MESSAGES:
        if bot.parse(text)["intent"]["name"] == "nlu_fallback":
            return text
    pytest.fail(f"ningún mensaje vago cae en la pregunta de aclaración: {VAGUE_MESSAGES}")


def test_low_confidence_offers_two_interpretations_then_answers_the_chosen_one(bot, sender, domain):
    vague = _first_vague(bot)
    [ask] = bot.replies(sender, vague)
    assert ask["text"] == domain.responses["utter_ask_affirmation"][0]["text"]
    payloads = [b["payload"] for b in ask["buttons"]]
    assert len(payloads) == 4 and payloads[2:] == ["/out_of_scope", "/hablar_con_humano"]
    chosen = payloads[0].lstrip("/")
    answer = bot.replies(sender, payloads[0])
    expected = normalise(domain.responses[f"utter_{chosen}"][0]["text"].split("{")[0])
    assert joined(answer).startswith(expected)


def test_none_of_these_asks_to_rephrase_with_an_agent_option(bot, sender, domain):
    vague = _first_vague(bot)
    bot.replies(sender, vague)
    [rephrase] = bot.replies(sender, "/out_of_scope")
    assert rephrase["text"] == domain.responses["utter_ask_rephrase"][0]["text"]
    assert [b["payload"] for b in rephrase["buttons"]] == ["/hablar_con_humano"]


def test_http_api_needs_the_token(bot, sender):
    bot.replies(sender, "hola")
    denied = requests.get(f"{bot.base}/conversations/{sender}/tracker", timeout=30)
    assert denied.status_code == 401
    tracker = bot.tracker(sender)
    assert tracker["sender_id"] == sender
    assert tracker["slots"]["correo_soporte"]


def test_support_contact_is_filled_in_the_reply(bot, sender):
    text = joined(bot.replies(sender, "¿cuál es el correo de soporte?"))
    assert "{correo_soporte}" not in text and "Cualquier duda, entre en contacto con Soporte," in text


@pytest.mark.parametrize(
    "text, entity, value",
    [
        ("tengo un error en facturación al grabar", "modulo", "SIGAFAT"),
        ("la rutina MATA410 se cierra sola", "modulo", "MATA410"),
        ("escríbanme a compras@ferreteria-lopez.com.mx", "email", "compras@ferreteria-lopez.com.mx"),
        ("es urgente, soy el cliente PRIME01 y no podemos facturar", "codigo_cliente", "PRIME01"),
    ],
)
def test_entities_are_extracted(bot, text, entity, value):
    found = {(e["entity"], str(e["value"]).upper()) for e in bot.parse(text)["entities"]}
    assert (entity, value.upper()) in found, found


def test_greetings_thanks_and_signatures_around_a_request_are_not_the_request(bot, sender, domain):
    thanks = normalise(domain.responses["utter_agradecimiento"][0]["text"])
    text = joined(bot.replies(sender, "gracias, y otra cosa: ¿el soporte prime atiende también los fines de semana?"))
    assert "Lunes a viernes 8am-6pm" in text and thanks not in normalise(text)
    text = joined(
        bot.replies(sender + "-b", "Hola, buenas tardes. ¿Qué es el soporte prime? Saludos, Juan Pérez - Tesorería")
    )
    assert "PRIME es un servicio de atención especializada" in text


def test_two_requests_answer_one_and_offer_the_other(bot, sender):
    replies = bot.replies(
        sender, "¿qué es el soporte prime? y además necesito una capacitación para el equipo de compras"
    )
    assert "PRIME es un servicio de atención especializada" in joined(replies)
    [offer] = [r for r in replies if r.get("buttons")]
    assert "también veo otra consulta" in offer["text"] and offer["buttons"][0]["payload"] == "/solicitar_capacitacion"
    answer = joined(bot.replies(sender, offer["buttons"][0]["payload"]))
    assert "Capacitación" in answer or "capacitación" in answer


def test_a_message_wholly_in_portuguese_gets_the_notice_and_the_chat_goes_on(bot, sender, domain):
    [notice] = bot.replies(sender, "Olá, estou com um erro na rotina de pedido de venda, podem me ajudar?")
    assert notice["text"] == domain.responses["utter_idioma_no_soportado"][0]["text"]
    assert any("Lunes a viernes 8am-6pm" in r.get("text", "") for r in bot.replies(sender, "¿en qué horario atienden?"))
    spanish = bot.replies(sender + "-b", "el chamado de la nota fiscal no avanza y la rotina de facturación da error")
    assert all(r.get("text") != notice["text"] for r in spanish)
