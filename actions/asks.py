"""The forms' questions: one `action_ask_<slot>` per slot, each asking with its question from
mensajes.yml (`preguntas`), so a trainer changes the wording without touching code.

Actions rather than domain `utter_ask_<slot>` responses: `rasa data validate` reports such
responses as unused (it does not see that forms ask with them), and the suite keeps it silent.
"""

from abc import ABC, abstractmethod
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from protheus.messages import question


class AskSlot(Action, ABC):
    """Asks for `slot()` with its question from mensajes.yml. Abstract: not registered itself."""

    @abstractmethod
    def slot(self) -> Text:
        """The slot this action asks for."""

    def name(self) -> Text:
        return f"action_ask_{self.slot()}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(**question(self.slot()))
        return []


class AskModule(AskSlot):
    def slot(self) -> Text:
        return "modulo"


class AskErrorDescription(AskSlot):
    def slot(self) -> Text:
        return "descripcion_error"


class AskReproducesInStandard(AskSlot):
    def slot(self) -> Text:
        return "reproduce_en_estandar"


class AskOnlySpecificRecords(AskSlot):
    def slot(self) -> Text:
        return "solo_registros_especificos"


class AskCustomerCode(AskSlot):
    def slot(self) -> Text:
        return "codigo_cliente"


class AskConsultingTermsAccepted(AskSlot):
    def slot(self) -> Text:
        return "acepta_terminos_consultoria"
