"""The database every store works on: one engine, a session per unit of work, and the schema
brought up to date by Alembic. The stores (customers, hand-offs, accounts, ...) take one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from protheus.common.settings import database_url

MIGRATIONS = Path(__file__).parent / "migrations"
# A database that does not answer must not hold a customer's turn: PostgreSQL connections give
# up after CONNECT_TIMEOUT seconds and statements after STATEMENT_TIMEOUT_MS.
CONNECT_TIMEOUT = 5
STATEMENT_TIMEOUT_MS = 15_000


def with_timeouts(url: str) -> str:
    """The URL with PostgreSQL's connect and statement time limits (other databases unchanged)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        return url
    limits = {"connect_timeout": str(CONNECT_TIMEOUT), "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"}
    query = {**limits, **dict(parsed.query)}  # what the URL already says wins
    return parsed.set(query=query).render_as_string(hide_password=False)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    """Rasa, the action server and the console write to the same file: let readers
    proceed while one writes (WAL), and wait for a lock instead of failing at once."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


class Database:
    def __init__(self, url: str | None = None) -> None:
        self.url = url or database_url()
        self.engine: Engine = create_engine(with_timeouts(self.url), future=True, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False, future=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed at the end, rolled back on an error."""
        with self._sessions() as session, session.begin():
            yield session

    def migrate(self, revision: str = "head") -> None:
        """Bring the schema to the latest Alembic revision (or to `revision`)."""
        if self.url.startswith("sqlite:///"):
            Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        command.upgrade(config, revision)

    def display_url(self) -> str:
        """The URL without its password, for messages."""
        return self.engine.url.render_as_string(hide_password=True)
