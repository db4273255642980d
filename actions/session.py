"""Session start: fills the support contact from the SUPPORT_EMAIL setting."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from protheus.settings import support_contact

NOT_CARRIED = {"correo_soporte", "session_started_metadata", "requested_slot"}


def carried_over_slots(tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
    """Slots of the previous session, kept as Rasa's default session start would."""
    if not domain.get("session_config", {}).get("carry_over_slots_to_new_session", True):
        return []
    return [
        SlotSet(name, value) for name, value in tracker.slots.items() if value is not None and name not in NOT_CARRIED
    ]


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        carried = carried_over_slots(tracker, domain)
        return [
            SessionStarted(),
            *carried,
            SlotSet("correo_soporte", support_contact()),
            ActionExecuted("action_listen"),
        ]
