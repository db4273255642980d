"""Tracker fixtures for the custom actions (the rasa-sdk objects the server passes in)."""
from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


def make_tracker(
    intent: str = "nlu_fallback",
    ranking: list[tuple[str, float]] | None = None,
    slots: dict | None = None,
    text: str = "mensaje de prueba",
) -> Tracker:
    ranking = ranking or [(intent, 0.9)]
    return Tracker(
        sender_id="prueba",
        slots=slots or {},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": ranking[0][1]},
            "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
            "entities": [],
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def domain_dict(domain) -> dict:
    return domain.as_dict()
