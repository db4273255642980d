"""action_encuesta: after the goodbye, the satisfaction survey (once per session)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from protheus.action_server.actions.database import satisfaction
from protheus.common.messages import survey_texts
from protheus.db.satisfaction import SatisfactionStore, attended_by, session_started_at, survey_message

logger = logging.getLogger(__name__)


class ActionAskSatisfaction(Action):
    def __init__(self, store: Callable[[], SatisfactionStore] = satisfaction) -> None:
        self._store = store

    def name(self) -> str:
        return "action_encuesta"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        since = session_started_at(tracker.events)
        try:
            survey = self._store().ask(tracker.sender_id, attended_by(tracker.events, since), since)
        except SQLAlchemyError:  # the goodbye was said; a survey is not worth an error message
            logger.exception("Could not ask %s the satisfaction survey", tracker.sender_id)
            return []
        if survey is not None:
            asked = survey_message(survey, survey_texts()["pregunta"])
            dispatcher.utter_message(text=asked["text"], json_message=asked["custom"])
        return []
