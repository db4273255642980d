"""Each form question is a declared action that asks with its text from mensajes.yml."""

import asyncio

import yaml
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

from protheus.common.paths import PROJECT
from tests.action_server.actions.conftest import make_tracker


def test_one_declared_action_per_question_and_in_the_domain(domain):
    executor = ActionExecutor()
    executor.register_package("protheus.action_server.actions")
    asks = {name for name in executor.actions if name.startswith("action_ask_")}
    questions = yaml.safe_load(PROJECT.messages.read_text(encoding="utf-8"))["preguntas"]
    # The offer to go back to a request says which one (mensajes.yml: oferta_retomar, oferta_consulta).
    assert asks == {f"action_ask_{slot}" for slot in questions} | {"action_ask_retomar_solicitud"}
    assert asks <= set(domain.user_actions)


def test_the_action_asks_with_the_text_and_buttons_of_mensajes_yml():
    from protheus.action_server.actions.asks import AskReproducesInStandard

    dispatcher = CollectingDispatcher()
    asyncio.run(AskReproducesInStandard().run(dispatcher, make_tracker("reportar_error"), {}))
    [asked] = dispatcher.messages
    assert asked["text"].startswith("¿Se reproduce en un entorno estándar actualizado")
    assert [b["payload"] for b in asked["buttons"]] == ["/afirmar", "/negar"]
