"""Console accounts: users, login sessions, login throttling and the audit log.

Passwords are hashed with Argon2 (argon2-cffi). A session cookie carries a random
token; only its SHA-256 is stored, so a copy of the database cannot be replayed.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select

from protheus.common.vocabulary import Role
from protheus.db.database import Database
from protheus.db.models import AuditEntry, ConsoleSession, LoginAttempt, User, utcnow

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD = 10
THROTTLE_WINDOW = 15 * 60  # seconds
FREE_FAILURES = 2  # of one (user, address) before each next attempt waits, longer every time
MAX_DELAY = THROTTLE_WINDOW
MAX_FAILURES_PER_REMOTE = 20  # of one address within the window, whatever succeeds meanwhile
COMMON_PASSWORDS = Path(__file__).parent / "contrasenas_comunes.txt.gz"
LOCAL_WORDS = frozenset(
    "protheus totvs microsiga soporte contraseña contrasena password clave bienvenido usuario empresa "
    "verano invierno primavera otoño mexico colombia argentina chile peru ecuador paraguay uruguay".split()
)
SESSION_IDLE = 8 * 3600
SESSION_MAX = 12 * 3600
ROLE_ERROR = f"Rol no válido: use {', '.join(r.value for r in Role)}."

_hasher = PasswordHasher()
# Verified when the user does not exist, so both cases take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A request the console refuses; the message is shown to the user (Spanish)."""


class TooManyAttempts(AccountError):
    def __init__(self, wait_seconds: int) -> None:
        wait_seconds = max(1, wait_seconds)
        wait = f"{wait_seconds} s" if wait_seconds < 90 else f"{round(wait_seconds / 60)} min"
        super().__init__(f"Demasiados intentos fallidos. Espere {wait} antes de volver a intentarlo.")
        self.wait_seconds = wait_seconds


def pair_delay(failures: int) -> int:
    """Seconds one (user, address) waits after `failures` failures in a row: 0, 0, 2, 4, 8, … up to MAX_DELAY.
    Growing delays, not a lock: whoever guesses from elsewhere cannot lock the owner out."""
    return 0 if failures <= FREE_FAILURES else min(MAX_DELAY, 2 ** (failures - FREE_FAILURES))


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    role: Role
    active: bool


@dataclass(frozen=True)
class SessionInfo:
    user: UserInfo
    csrf_token: str


def _info(row: User) -> UserInfo:
    return UserInfo(row.id, row.username, Role(row.role), row.active)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


@functools.cache
def common_passwords() -> frozenset[str]:
    """The 20,000 most common passwords (Django's list, from Royce Williams' compilation),
    plus the words anyone would try first here."""
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as listed:
        return frozenset(line.strip().lower() for line in listed) | LOCAL_WORDS


def check_new_password(password: str, username: str = "") -> None:
    password = password or ""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"La contraseña debe tener al menos {MIN_PASSWORD} caracteres.")
    folded = password.lower()
    bare = re.sub(r"[\d\W_]+$", "", folded)  # «protheus2026!» is «protheus» with a date
    if folded in common_passwords() or bare in common_passwords():
        raise AccountError("Esa contraseña es de las más usadas: elija otra, por ejemplo una frase de varias palabras.")
    name = normalise_username(username)
    if name and (folded in name or (name in folded if len(name) >= 4 else folded.startswith(name))):
        raise AccountError("La contraseña no puede contener el nombre de usuario.")


class AccountStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- users --------------------------------------------------------------
    def create_user(self, username: str, role: str, password: str) -> UserInfo:
        username = normalise_username(username)
        if not USERNAME.match(username):
            raise AccountError("Usuario no válido: de 3 a 64 letras minúsculas, números, punto, guion o guion bajo.")
        if Role.parse(role) is None:
            raise AccountError(ROLE_ERROR)
        check_new_password(password, username)
        with self.db.session() as session:
            if session.execute(select(User).where(User.username == username)).scalar_one_or_none():
                raise AccountError(f"Ya existe el usuario «{username}».")
            row = User(username=username, role=Role(role).value, password_hash=_hasher.hash(password), active=True)
            session.add(row)
            session.flush()
            return _info(row)

    def users(self) -> list[UserInfo]:
        with self.db.session() as session:
            return [_info(r) for r in session.execute(select(User).order_by(User.username)).scalars()]

    def get_user(self, user_id: int) -> UserInfo | None:
        with self.db.session() as session:
            row = session.get(User, user_id)
            return _info(row) if row else None

    def has_admin(self) -> bool:
        with self.db.session() as session:
            query = select(func.count()).select_from(User).where(User.role == Role.ADMIN.value, User.active.is_(True))
            return session.execute(query).scalar_one() > 0

    def update_user(
        self, user_id: int, *, role: str | None = None, active: bool | None = None, password: str | None = None
    ) -> UserInfo:
        """Change a user's role, state or password; their open sessions end."""
        if role is not None and Role.parse(role) is None:
            raise AccountError(ROLE_ERROR)
        with self.db.session() as session:
            row = session.get(User, user_id)
            if row is None:
                raise AccountError("El usuario no existe.")
            if password is not None:
                check_new_password(password, row.username)
            if role is not None:
                row.role = Role(role).value
            if active is not None:
                row.active = active
            if password is not None:
                row.password_hash = _hasher.hash(password)
            session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user_id))
            return _info(row)

    # --- login ----------------------------------------------------------------
    def _throttle(self, session, username: str, remote: str, now: float, exists: bool) -> None:
        """The pair (user, address) waits longer after each failure (a success ends the run). An
        address may try MAX_FAILURES_PER_REMOTE names that do not exist in the window (guessing
        names); it never locks out a real user, whose own pair is what limits guessing a password:
        behind a proxy one address is everyone's."""
        pair = (LoginAttempt.username == username, LoginAttempt.remote == remote)
        last_success = session.execute(
            select(func.max(LoginAttempt.at)).where(*pair, LoginAttempt.success.is_(True))
        ).scalar_one()
        failures, latest = session.execute(
            select(func.count(), func.max(LoginAttempt.at)).where(
                *pair, LoginAttempt.success.is_(False), LoginAttempt.at > max(now - THROTTLE_WINDOW, last_success or 0)
            )
        ).one()
        if failures and (wait := latest + pair_delay(failures) - now) > 0:
            raise TooManyAttempts(int(wait) + 1)
        if exists:
            return
        count, oldest = session.execute(
            select(func.count(), func.min(LoginAttempt.at)).where(
                LoginAttempt.remote == remote,
                LoginAttempt.success.is_(False),
                LoginAttempt.at > now - THROTTLE_WINDOW,
                LoginAttempt.username.not_in(select(User.username)),
            )
        ).one()
        if count >= MAX_FAILURES_PER_REMOTE:
            raise TooManyAttempts(int(oldest + THROTTLE_WINDOW - now) + 1)

    def authenticate(self, username: str, password: str, remote: str, now: float | None = None) -> UserInfo:
        """The user, or AccountError (wrong credentials) / TooManyAttempts."""
        now = time.time() if now is None else now
        username = normalise_username(username)[:64]
        remote = (remote or "desconocido")[:64]
        with self.db.session() as session:
            row = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
            self._throttle(session, username, remote, now, exists=row is not None)
            ok = self._verify(row.password_hash if row else _DUMMY_HASH, password or "")
            ok = ok and row is not None and row.active
            # Recorded (committed) whatever the outcome: the throttle counts the failures.
            session.add(LoginAttempt(username=username, remote=remote, at=now, success=bool(ok)))
            if ok:
                row.last_login_at = utcnow()
                if _hasher.check_needs_rehash(row.password_hash):
                    row.password_hash = _hasher.hash(password)
                user = _info(row)
        if not ok:
            raise AccountError("Usuario o contraseña incorrectos.")
        return user

    @staticmethod
    def _verify(password_hash: str, password: str) -> bool:
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    # --- sessions ----------------------------------------------------------------
    def open_session(self, user: UserInfo, now: float | None = None) -> str:
        """A new session for the user; returns the token for the cookie."""
        now = time.time() if now is None else now
        token = secrets.token_urlsafe(32)
        with self.db.session() as session:
            session.add(
                ConsoleSession(
                    token_hash=_digest(token),
                    user_id=user.id,
                    csrf_token=secrets.token_urlsafe(32),
                    created_at=now,
                    last_seen_at=now,
                )
            )
        return token

    def session_for(self, token: str, now: float | None = None, touch: bool = True) -> SessionInfo | None:
        """The live session of this token (and its user), or None when unknown, expired or disabled.
        `touch`: the user's own request keeps it alive; a page checking by itself (the live stream, a
        self-refresh) must not, or an open tab would never let the idle timeout end it."""
        if not token:
            return None
        now = time.time() if now is None else now
        with self.db.session() as session:
            row = session.get(ConsoleSession, _digest(token))
            if row is None:
                return None
            user = session.get(User, row.user_id)
            expired = now - row.last_seen_at > SESSION_IDLE or now - row.created_at > SESSION_MAX
            if expired or user is None or not user.active:
                session.delete(row)
                return None
            if touch and now - row.last_seen_at > 60:
                row.last_seen_at = now
            return SessionInfo(_info(user), row.csrf_token)

    def close_session(self, token: str) -> None:
        with self.db.session() as session:
            session.execute(delete(ConsoleSession).where(ConsoleSession.token_hash == _digest(token or "")))

    # --- audit log -------------------------------------------------------------------
    def audit(self, username: str, action: str, **detail: Any) -> None:
        with self.db.session() as session:
            session.add(AuditEntry(at=time.time(), username=username, action=action, detail=detail))

    def audit_entries(self, limit: int = 200) -> list[dict]:
        with self.db.session() as session:
            rows = session.execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)).scalars()
            return [{"at": r.at, "username": r.username, "action": r.action, "detail": r.detail} for r in rows]
