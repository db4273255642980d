"""action_encuesta: the goodbye's survey, once per session, bot alone or with an agent."""

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import OperationalError

from protheus.action_server.actions.survey import ActionAskSatisfaction
from protheus.common.messages import survey_texts
from protheus.db.satisfaction import SatisfactionStore


def tracker(events: list[dict]) -> Tracker:
    return Tracker("web-1", {}, {"intent": {"name": "despedida"}}, events, False, None, {}, "utter_despedida")


def ask(store, events) -> list[dict]:
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskSatisfaction(lambda: store).run(dispatcher, tracker(events), {}))
    return dispatcher.messages


def test_the_goodbye_asks_once_per_session(db):
    store = SatisfactionStore(db)
    events = [{"event": "session_started", "timestamp": 0.0}]
    [asked] = ask(store, events)
    [survey] = store.of_conversation("web-1")
    assert asked["text"] == survey_texts()["pregunta"] and asked["custom"] == {"encuesta": {"id": survey.survey_id}}
    assert survey.attended_by == "asistente"
    assert ask(store, events) == []  # the second goodbye of the session


def test_an_agent_s_conversation_is_marked_so(db):
    store = SatisfactionStore(db)
    ask(
        store,
        [
            {"event": "session_started", "timestamp": 0.0},
            {"event": "bot", "timestamp": 1.0, "metadata": {"agente": "ana"}},
        ],
    )
    assert store.of_conversation("web-1")[0].attended_by == "agente"


class DownStore:
    def ask(self, *args, **kwargs):
        raise OperationalError("insert", {}, Exception("database is down"))


def test_a_database_down_skips_the_survey_without_failing_the_goodbye():
    assert ask(DownStore(), []) == []
