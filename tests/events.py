"""Conversations written into Rasa's `events` table as Rasa itself serialises them."""

from __future__ import annotations

import json
from collections.abc import Iterable

from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from sqlalchemy import insert

from protheus.db.conversations import EVENTS
from protheus.db.database import Database

HOSTILE = [
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(document.cookie)>',
]


def user(
    text: str,
    intent: str,
    confidence: float,
    *,
    channel: str = "socketio",
    runners: list[tuple[str, float]] | None = None,
    entities: list[dict] | None = None,
) -> UserUttered:
    ranking = [{"name": intent, "confidence": confidence}] + [{"name": n, "confidence": c} for n, c in runners or []]
    parse = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": ranking,
        "entities": entities or [],
    }
    return UserUttered(text, parse["intent"], entities or [], parse, input_channel=channel)


def fallback(text: str, best: str, confidence: float, channel: str = "socketio") -> UserUttered:
    """What FallbackClassifier produces: nlu_fallback at the threshold, the real guess below it."""
    parse = {
        "text": text,
        "intent": {"name": "nlu_fallback", "confidence": 0.4},
        "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.4}, {"name": best, "confidence": confidence}],
        "entities": [],
    }
    return UserUttered(text, parse["intent"], [], parse, input_channel=channel)


def bot(text: str, agent: str | None = None) -> BotUttered:
    return BotUttered(text, metadata={"agente": agent} if agent else {})


def action(name: str) -> ActionExecuted:
    return ActionExecuted(name, policy="RulePolicy", confidence=1.0)


def store(db: Database, sender: str, events: Iterable[Event], start: float, step: float = 5.0) -> None:
    """Insert the events with timestamps start, start+step, ..."""
    rows = []
    for index, event in enumerate(events):
        event.timestamp = start + index * step
        data = event.as_dict()
        rows.append(
            {
                "sender_id": sender,
                "type_name": event.type_name,
                "timestamp": event.timestamp,
                "intent_name": (data.get("parse_data") or {}).get("intent", {}).get("name"),
                "action_name": data.get("name") if event.type_name == "action" else None,
                "data": json.dumps(data),
            }
        )
    with db.session() as session:
        session.execute(insert(EVENTS), rows)


def session_start() -> list[Event]:
    return [action("action_session_start"), SessionStarted(), action("action_listen")]


__all__ = [
    "ActionExecuted",
    "ConversationPaused",
    "ConversationResumed",
    "SlotSet",
    "HOSTILE",
    "action",
    "bot",
    "fallback",
    "store",
    "session_start",
    "user",
]
