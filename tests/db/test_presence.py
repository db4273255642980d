"""Agents' presence on SQLite and PostgreSQL: «disponible» until they say otherwise, log out, or
stay idle past the limit (an injected clock)."""

import pytest

from protheus.db.presence import TOUCH_EVERY, PresenceStore


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def presence(db, clock) -> PresenceStore:
    return PresenceStore(db, idle_seconds=600, clock=clock)


def test_nobody_is_available_until_an_agent_says_so(presence):
    assert presence.available_agents() == [] and not presence.anyone_available()
    assert presence.of("ana").available is False
    presence.set_available("ana", True)
    presence.set_available("beto", False)
    assert presence.available_agents() == ["ana"] and presence.of("ana").available


def test_activity_keeps_an_agent_available_and_idleness_makes_them_absent(presence, clock):
    presence.set_available("ana", True)
    clock.now += 500
    assert presence.touch("ana").available
    clock.now += 500  # 1000 s after saying «disponible», 500 s after the last request
    assert presence.available_agents() == ["ana"]
    clock.now += 601
    assert presence.available_agents() == [] and not presence.of("ana").available
    back = presence.touch("ana")
    assert back.idle_ended and not back.available  # they come back «ausente» and are told so
    clock.now += 1
    assert presence.available_agents() == [] and not presence.touch("ana").idle_ended


def test_page_views_write_the_activity_at_most_every_half_minute(presence, clock):
    presence.set_available("ana", True)
    start = clock.now
    clock.now += TOUCH_EVERY - 1
    assert presence.touch("ana").last_activity_at == start
    clock.now += 1
    assert presence.touch("ana").last_activity_at == clock.now


def test_logging_out_leaves_and_an_unknown_agent_is_never_touched(presence):
    presence.set_available("ana", True)
    presence.leave("ana")
    assert presence.available_agents() == [] and presence.touch("nadie") is None
