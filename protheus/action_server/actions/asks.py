"""The forms' questions: one `action_ask_<slot>` per slot, each asking with its question from
mensajes.yml (`preguntas`), so a trainer changes the wording without touching code.

Actions rather than domain `utter_ask_<slot>` responses: `rasa data validate` reports such
responses as unused (it does not see that forms ask with them), and the suite keeps it silent.
"""

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from protheus.action_server.actions.answers import to_confirm
from protheus.action_server.actions.handoff import collected_slots, request_intent, summary_before_registering
from protheus.action_server.actions.pending_requests import offer_text, pending
from protheus.action_server.actions.slots import AFTER_DIGRESSION, RESUME
from protheus.common.messages import question, resumed_question
from protheus.common.vocabulary import Question


def show_summary(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """What the hand-off will send and where, before the last step of a form."""
    shown = summary_before_registering(tracker)
    if shown is not None:
        dispatcher.utter_message(**shown)


class AskSlot(Action, ABC):
    """Asks for `slot()` with its question from mensajes.yml. Abstract: not registered itself."""

    @abstractmethod
    def slot(self) -> str:
        """The slot this action asks for."""

    def name(self) -> str:
        return f"action_ask_{self.slot()}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if to_confirm(tracker) is not None:  # «Entiendo que…, ¿es así?» asked it already
            return []
        if tracker.get_slot(AFTER_DIGRESSION):  # the customer asked something in between
            dispatcher.utter_message(**resumed_question(self.slot()))
            return [SlotSet(AFTER_DIGRESSION, False)]
        dispatcher.utter_message(**question(self.slot()))
        return []


class AskModule(AskSlot):
    def slot(self) -> str:
        return Question.MODULE.value


class AskErrorDescription(AskSlot):
    def slot(self) -> str:
        return Question.DESCRIPTION.value


class AskReproducesInStandard(AskSlot):
    def slot(self) -> str:
        return Question.REPRODUCES.value


class AskOnlySpecificRecords(AskSlot):
    def slot(self) -> str:
        return Question.SPECIFIC_RECORDS.value


class AskCustomerCode(AskSlot):
    """The error report's last question: before it, what the hand-off will send."""

    def slot(self) -> str:
        return Question.CUSTOMER_CODE.value

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if (tracker.active_loop or {}).get("name") == "formulario_error":
            show_summary(dispatcher, tracker)
        return await super().run(dispatcher, tracker, domain)


class AskCustomerVerification(AskSlot):
    def slot(self) -> str:
        return Question.VERIFICATION.value


class AskConsultingTermsAccepted(AskSlot):
    """The last step before a consulting hand-off: before the terms, what it will send."""

    def slot(self) -> str:
        return Question.ACCEPTS_TERMS.value

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        intent = request_intent(tracker)
        if not tracker.get_slot(AFTER_DIGRESSION) and intent and collected_slots(tracker, intent):
            show_summary(dispatcher, tracker)
        return await super().run(dispatcher, tracker, domain)


class AskResume(AskSlot):
    """The offer to go back to a request left for later (protheus/action_server/actions/pending_requests.py)."""

    def slot(self) -> str:
        return RESUME

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        items = pending(tracker)
        if items and to_confirm(tracker) is None:
            dispatcher.utter_message(**offer_text(items[0]))
        return [SlotSet(AFTER_DIGRESSION, False)]
