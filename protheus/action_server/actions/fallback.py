"""Low-confidence handling: pick the two likeliest interpretations to offer as buttons.

The buttons themselves are the domain response `utter_ask_affirmation`, which
reads the slots set here, so their wording stays in the domain.
"""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from protheus.support.routing import NOT_OFFERED, routing_table

__all__ = ["NOT_OFFERED", "likeliest_intents"]
# Offered when the message carried no ranking (e.g. a "/nlu_fallback" payload).
MOST_COMMON = ["reportar_error", "consulta_funcional"]
OPTIONS = 2


def likeliest_intents(tracker: Tracker, count: int = OPTIONS) -> list[str]:
    """The `count` best-ranked offerable intents of the last message."""
    table = routing_table()
    ranking = [r.get("name") for r in tracker.latest_message.get("intent_ranking") or []]
    offered = [n for n in ranking if n not in NOT_OFFERED and table.label(n)]
    for fallback in MOST_COMMON:
        if len(offered) >= count:
            break
        if fallback not in offered:
            offered.append(fallback)
    return offered[:count]


class ActionPrepareClarification(Action):
    def name(self) -> str:
        return "action_preparar_aclaracion"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        table = routing_table()
        events: list[EventType] = []
        for position, intent in enumerate(likeliest_intents(tracker), start=1):
            events += [
                SlotSet(f"opcion_{position}", intent),
                SlotSet(f"opcion_{position}_etiqueta", table.label(intent)),
            ]
        return events
