"""Agents' presence on SQLite and PostgreSQL: «disponible» until they say otherwise, log out,
stay idle past the limit (an injected clock), or their account is deactivated or demoted."""

import pytest

from protheus.db.accounts import AccountStore
from protheus.db.presence import TOUCH_EVERY, PresenceStore

PASSWORD = "una-clave-larga-1"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(db) -> AccountStore:
    accounts = AccountStore(db)
    for username, role in (("ana", "agente"), ("beto", "agente"), ("jefa", "admin"), ("tere", "entrenador")):
        accounts.create_user(username, role, PASSWORD)
    return accounts


@pytest.fixture
def presence(db, clock, accounts) -> PresenceStore:
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


def _id(accounts: AccountStore, username: str) -> int:
    return next(user.id for user in accounts.users() if user.username == username)


def test_a_deactivated_or_demoted_account_stops_counting_at_once(presence, accounts):
    """Issue 24, finding 8: the `agent_presence` row was kept and `available_agents()` returned them."""
    for username in ("ana", "beto", "jefa"):
        presence.set_available(username, True)
    assert presence.available_agents() == ["ana", "beto", "jefa"]  # admins take hand-offs too
    accounts.update_user(_id(accounts, "ana"), active=False)
    accounts.update_user(_id(accounts, "beto"), role="entrenador")
    assert presence.available_agents() == ["jefa"]
    accounts.update_user(_id(accounts, "jefa"), role="agente")  # still takes hand-offs
    assert presence.available_agents() == ["jefa"]


def test_only_an_account_that_takes_handoffs_counts(presence):
    presence.set_available("tere", True)  # a trainer's row (a role changed before this release)
    presence.set_available("nadie", True)  # no account at all
    assert presence.available_agents() == [] and not presence.anyone_available()
