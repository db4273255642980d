"""Tracker fixtures for the custom actions (the rasa-sdk objects the server passes in)."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


def user_event(intent: str, text: str = "", confidence: float = 0.95) -> dict:
    return {
        "event": "user",
        "text": text or intent,
        "parse_data": {"intent": {"name": intent, "confidence": confidence}, "entities": []},
    }


def make_tracker(
    intent: str = "nlu_fallback",
    ranking: list[tuple[str, float]] | None = None,
    slots: dict | None = None,
    text: str = "mensaje de prueba",
    history: list[str] | None = None,
    sender_id: str = "prueba",
    metadata: dict | None = None,
    entities: list[dict] | None = None,
) -> Tracker:
    """A tracker whose latest message has `intent`; `history` lists earlier user intents."""
    ranking = ranking or [(intent, 0.9)]
    events = [user_event(name) for name in history or []] + [{**user_event(intent, text), "metadata": metadata or {}}]
    return Tracker(
        sender_id=sender_id,
        slots=slots or {},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": ranking[0][1]},
            "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
            "entities": entities or [],
        },
        events=events,
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


@pytest.fixture
def customers(db, monkeypatch):
    """The demo customers in the test database, as the verification reads them."""
    from protheus.action_server.actions import verification
    from protheus.db.customers import CustomerStore

    store = CustomerStore(db)
    store.seed_demo_customers()
    monkeypatch.setattr(verification, "customers", lambda: store)
    return store


def form_tracker(
    text: str,
    pending: str,
    reading: dict[str, float] | None = None,
    *,
    intent: str = "nlu_fallback",
    confidence: float = 0.5,
    slots: dict | None = None,
    form: str = "formulario_error",
    about: dict[str, float] | None = None,
    others: dict[str, dict[str, float]] | None = None,
    ranking: list[tuple[str, float]] | None = None,
) -> Tracker:
    """A form asking `pending`, and the customer's message as the answer reader read it: `reading`
    (label → probability) under the pending question, `others` under other questions, `about`
    which question it answers. Without `reading`, the message carries no reading (a button)."""
    from protheus.common.answer_examples import ABOUT, READINGS, reader_question

    parse: dict = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": n, "confidence": c} for n, c in (ranking or [(intent, confidence)])],
        "entities": [],
    }
    if reading is not None:
        parse[READINGS] = {reader_question(pending): reading, **(others or {}), **({ABOUT: about} if about else {})}
    answered = slots or {}
    events = [{"event": "active_loop", "name": form}]
    events += [{"event": "slot", "name": k, "value": v} for k, v in answered.items()]
    events.append({"event": "user", "text": text, "parse_data": parse, "metadata": {}})
    return Tracker(
        sender_id="prueba",
        slots={**answered, "requested_slot": pending},
        latest_message=parse,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": form},
        latest_action_name="action_listen",
    )


def run_form(form, tracker: Tracker, domain: dict) -> tuple[list, list]:
    """The validation action's events and the messages it sent."""
    import asyncio

    dispatcher = CollectingDispatcher()
    events = asyncio.run(form().run(dispatcher, tracker, domain))
    return events, dispatcher.messages
