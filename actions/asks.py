"""One `action_ask_<slot>` per question in mensajes.yml: the forms ask with these."""
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from protheus.messages import question, questions


class AskSlot:
    """Asks for `slot` with its question from mensajes.yml (mixed into an Action below)."""

    slot: Text = ""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(**question(self.slot))
        return []


# The action server registers every concrete Action subclass it finds in this module.
for _slot in questions():
    globals()[f"Ask_{_slot}"] = type(f"Ask_{_slot}", (AskSlot, Action), {"slot": _slot})
