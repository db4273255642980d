"""Console accounts: hashing, throttling, sessions; on SQLite and PostgreSQL."""

import pytest

from protheus.db.accounts import (
    FREE_FAILURES,
    MAX_FAILURES_PER_REMOTE,
    SESSION_IDLE,
    THROTTLE_WINDOW,
    AccountError,
    AccountStore,
    TooManyAttempts,
    pair_delay,
)
from protheus.db.models import User

PASSWORD = "una-clave-larga-1"


@pytest.fixture
def accounts(db) -> AccountStore:
    return AccountStore(db)


def test_passwords_are_stored_as_argon2_hashes(db, accounts):
    accounts.create_user("Ana", "agente", PASSWORD)
    with db.session() as session:
        stored = session.query(User).one()
    assert stored.username == "ana" and stored.password_hash.startswith("$argon2id$")
    assert PASSWORD not in stored.password_hash


@pytest.mark.parametrize(
    "username, role, password, message",
    [
        ("a", "agente", PASSWORD, "Usuario no válido"),
        ("ana smith", "agente", PASSWORD, "Usuario no válido"),
        ("ana", "jefe", PASSWORD, "Rol no válido"),
        ("ana", "agente", "corta", "al menos 10"),
        ("ana", "agente", "1234567890", "más usadas"),
        ("ana", "agente", "Protheus2026!", "más usadas"),
        ("ana", "agente", "Verano2026!", "más usadas"),
        ("ana", "agente", "ana-la-mejor-99", "nombre de usuario"),
        ("soporte.mx", "agente", "soporte.mx-2026", "nombre de usuario"),
    ],
)
def test_bad_new_users_get_a_spanish_reason(accounts, username, role, password, message):
    with pytest.raises(AccountError, match=message):
        accounts.create_user(username, role, password)


def test_duplicate_user(accounts):
    accounts.create_user("ana", "agente", PASSWORD)
    with pytest.raises(AccountError, match="Ya existe"):
        accounts.create_user("ANA", "admin", PASSWORD)


def test_login_and_wrong_password(accounts):
    accounts.create_user("ana", "agente", PASSWORD)
    assert accounts.authenticate("ana", PASSWORD, "10.0.0.1").role == "agente"
    with pytest.raises(AccountError, match="incorrectos"):
        accounts.authenticate("ana", "otra-clave-xx", "10.0.0.1")
    with pytest.raises(AccountError, match="incorrectos"):  # unknown users get the same answer
        accounts.authenticate("nadie", PASSWORD, "10.0.0.1")


def test_guessing_slows_the_guesser_down_and_never_locks_the_owner_out(accounts):
    accounts.create_user("ana", "agente", PASSWORD)
    now = 1_000_000.0
    for attempt in range(FREE_FAILURES + 1):
        with pytest.raises(AccountError, match="incorrectos"):
            accounts.authenticate("ana", "mala-clave-000", "10.6.6.6", now=now + attempt)
    with pytest.raises(TooManyAttempts, match=r"Espere \d+ s"):  # even the right password waits
        accounts.authenticate("ana", PASSWORD, "10.6.6.6", now=now + FREE_FAILURES + 1)
    # Ana, from her own address, is not affected by the guesser.
    assert accounts.authenticate("ana", PASSWORD, "10.0.0.1", now=now + FREE_FAILURES + 1).username == "ana"
    # The guesser waits longer after every failure.
    delays = [pair_delay(n) for n in range(1, 8)]
    assert delays[:FREE_FAILURES] == [0] * FREE_FAILURES and delays[FREE_FAILURES:] == sorted(
        set(delays[FREE_FAILURES:])
    )
    later = now + FREE_FAILURES + pair_delay(FREE_FAILURES + 1) + 1
    with pytest.raises(AccountError, match="incorrectos"):
        accounts.authenticate("ana", "mala-clave-001", "10.6.6.6", now=later)
    with pytest.raises(TooManyAttempts):
        accounts.authenticate("ana", "mala-clave-002", "10.6.6.6", now=later + pair_delay(FREE_FAILURES + 1))


def test_one_address_trying_many_users_is_throttled(accounts):
    now = 2_000_000.0
    for attempt in range(MAX_FAILURES_PER_REMOTE):
        with pytest.raises(AccountError):
            accounts.authenticate(f"usuario{attempt}", "mala-clave-000", "10.9.9.9", now=now + attempt)
    with pytest.raises(TooManyAttempts):
        accounts.authenticate("otro", "mala-clave-000", "10.9.9.9", now=now + 30)
    with pytest.raises(AccountError, match="incorrectos"):  # the failures expired: tried again, not refused
        accounts.authenticate("otro", "mala-clave-000", "10.9.9.9", now=now + THROTTLE_WINDOW + 30)


def test_a_success_does_not_wipe_an_addresss_failures(accounts):
    """Password spraying from one valid account: 12 failures, 1 success, 12 more."""
    accounts.create_user("sec_weak2", "agente", PASSWORD)
    now = 3_000_000.0
    for attempt in range(12):
        with pytest.raises(AccountError):
            accounts.authenticate(f"victima{attempt}", "Verano2026!", "10.7.7.7", now=now + attempt)
    assert accounts.authenticate("sec_weak2", PASSWORD, "10.7.7.7", now=now + 20).username == "sec_weak2"
    refused = 0
    for attempt in range(12):
        try:
            accounts.authenticate(f"otra{attempt}", "Verano2026!", "10.7.7.7", now=now + 30 + attempt)
        except TooManyAttempts:
            refused += 1
        except AccountError:
            pass
    assert refused == 12 - (MAX_FAILURES_PER_REMOTE - 12)


def test_sessions_expire_and_end_with_a_password_change(accounts):
    user = accounts.create_user("ana", "agente", PASSWORD)
    token = accounts.open_session(user, now=100.0)
    assert accounts.session_for(token, now=200.0).user.username == "ana"
    assert accounts.session_for(token + "x", now=200.0) is None
    assert accounts.session_for(token, now=200.0 + SESSION_IDLE + 1) is None  # idle too long, and deleted
    token = accounts.open_session(user)
    accounts.update_user(user.id, password="nueva-clave-larga")
    assert accounts.session_for(token) is None


def test_disabled_user_cannot_log_in_or_keep_a_session(accounts):
    user = accounts.create_user("ana", "agente", PASSWORD)
    token = accounts.open_session(user)
    accounts.update_user(user.id, active=False)
    assert accounts.session_for(token) is None
    with pytest.raises(AccountError):
        accounts.authenticate("ana", PASSWORD, "10.0.0.1")


def test_audit_log(accounts):
    accounts.audit("ana", "tomar_derivacion", derivacion="D1")
    [entry] = accounts.audit_entries()
    assert (
        entry["username"] == "ana" and entry["action"] == "tomar_derivacion" and entry["detail"] == {"derivacion": "D1"}
    )
    assert accounts.has_admin() is False
    accounts.create_user("jefa", "admin", PASSWORD)
    assert accounts.has_admin() is True


def test_a_changed_password_follows_the_same_policy(accounts):
    user = accounts.create_user("ana", "agente", PASSWORD)
    with pytest.raises(AccountError, match="más usadas"):
        accounts.update_user(user.id, password="qwertyuiop")
    assert accounts.update_user(user.id, password="tres palabras largas").username == "ana"


def test_an_address_guessing_names_never_locks_a_real_user_out(accounts):
    """Finding 5: 20 failed logins for names that do not exist from one address (behind a proxy,
    everyone's) refused the right password of a real agent from that address for 15 minutes."""
    accounts.create_user("ana", "agente", PASSWORD)
    now = 4_000_000.0
    for attempt in range(MAX_FAILURES_PER_REMOTE):
        with pytest.raises(AccountError):
            accounts.authenticate(f"nadie{attempt}", "mala-clave-000", "10.8.8.8", now=now + attempt)
    with pytest.raises(TooManyAttempts):  # the guesser of names is stopped
        accounts.authenticate("otro-nombre", "mala-clave-000", "10.8.8.8", now=now + 30)
    assert accounts.authenticate("ana", PASSWORD, "10.8.8.8", now=now + 31).username == "ana"


def test_a_page_checking_by_itself_never_keeps_a_session_alive(accounts):
    """Issue 24: an open queue tab's live stream checked the session every 15 s and kept it alive,
    so the idle timeout never ended it."""
    user = accounts.create_user("ana", "agente", PASSWORD)
    token = accounts.open_session(user, now=100.0)
    for minute in range(1, SESSION_IDLE // 60 + 2):
        accounts.session_for(token, now=100.0 + minute * 60, touch=False)  # the tab's own checks
    assert accounts.session_for(token, now=100.0 + SESSION_IDLE + 61, touch=False) is None
    token = accounts.open_session(user, now=100.0)
    assert accounts.session_for(token, now=100.0 + SESSION_IDLE - 10) is not None  # the agent's own request
    assert accounts.session_for(token, now=100.0 + SESSION_IDLE + 61) is not None
