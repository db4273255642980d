"""Console accounts: hashing, throttling, sessions; on SQLite and PostgreSQL."""

import pytest

from protheus.db.accounts import (
    MAX_FAILURES_PER_USER,
    SESSION_IDLE,
    THROTTLE_WINDOW,
    AccountError,
    AccountStore,
    TooManyAttempts,
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


def test_repeated_failures_are_throttled_even_with_the_right_password(accounts):
    accounts.create_user("ana", "agente", PASSWORD)
    now = 1_000_000.0
    for attempt in range(MAX_FAILURES_PER_USER):
        with pytest.raises(AccountError):
            accounts.authenticate("ana", "mala-clave-000", "10.0.0.1", now=now + attempt)
    with pytest.raises(TooManyAttempts, match="Demasiados intentos"):
        accounts.authenticate("ana", PASSWORD, "10.0.0.2", now=now + 10)
    # After the window the right password works again.
    assert accounts.authenticate("ana", PASSWORD, "10.0.0.1", now=now + THROTTLE_WINDOW + 10).username == "ana"


def test_one_address_trying_many_users_is_throttled(accounts):
    now = 2_000_000.0
    for attempt in range(20):
        with pytest.raises(AccountError):
            accounts.authenticate(f"usuario{attempt}", "mala-clave-000", "10.9.9.9", now=now + attempt)
    with pytest.raises(TooManyAttempts):
        accounts.authenticate("otro", "mala-clave-000", "10.9.9.9", now=now + 30)


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
