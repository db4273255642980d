"""Saved replies (table `saved_replies`): texts the admins keep so that agents answer the common
questions the same way, and faster. The admins' page writes them; the agents' reply form offers
them, to insert and edit before sending, so each one must fit in one agent reply."""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import func, select

from protheus.common.settings import MAX_AGENT_REPLY
from protheus.common.text import typed_lines
from protheus.db.database import Database
from protheus.db.models import SavedReply

MAX_TITLE = 120  # the column's length
MAX_AUTHOR = 64  # the column's length (a username)


@dataclass(frozen=True)
class SavedReplyInfo:
    id: int
    title: str
    text: str
    updated_by: str
    updated_at: float  # epoch seconds


class SavedReplyError(ValueError):
    """A saved reply the console refuses; the message is shown to the admin (Spanish)."""


class SavedReplyNotFound(SavedReplyError):
    def __init__(self) -> None:
        super().__init__("La respuesta guardada no existe (quizá otro administrador la borró).")


def clean_reply(title: str, text: str) -> tuple[str, str]:
    """The title on one line and the text without surrounding blanks (line breaks as the
    browser's CRLF become LF), or SavedReplyError when either is empty or too long."""
    title = " ".join((title or "").split())
    text = typed_lines(text or "").strip()
    if not title:
        raise SavedReplyError("Escriba un título para la respuesta guardada.")
    if len(title) > MAX_TITLE:
        raise SavedReplyError(f"El título es muy largo (máximo {MAX_TITLE} caracteres).")
    if not text:
        raise SavedReplyError("Escriba el texto de la respuesta guardada.")
    if len(text) > MAX_AGENT_REPLY:
        raise SavedReplyError(
            f"El texto es muy largo (máximo {MAX_AGENT_REPLY} caracteres, lo que admite una respuesta al cliente)."
        )
    return title, text


def _info(row: SavedReply) -> SavedReplyInfo:
    return SavedReplyInfo(row.id, row.title, row.text, row.updated_by, row.updated_at)


class SavedReplyStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def list(self) -> tuple[SavedReplyInfo, ...]:
        """Every saved reply, by title (case aside), then by age."""
        with self.db.session() as session:
            query = select(SavedReply).order_by(func.lower(SavedReply.title), SavedReply.id)
            return tuple(_info(row) for row in session.execute(query).scalars())

    def get(self, reply_id: int) -> SavedReplyInfo | None:
        with self.db.session() as session:
            row = session.get(SavedReply, reply_id)
            return _info(row) if row else None

    def create(self, title: str, text: str, author: str, now: float | None = None) -> SavedReplyInfo:
        title, text = clean_reply(title, text)
        with self.db.session() as session:
            row = SavedReply(title=title, text=text, updated_by=author[:MAX_AUTHOR], updated_at=_now(now))
            session.add(row)
            session.flush()
            return _info(row)

    def update(self, reply_id: int, title: str, text: str, author: str, now: float | None = None) -> SavedReplyInfo:
        title, text = clean_reply(title, text)
        with self.db.session() as session:
            row = _existing(session.get(SavedReply, reply_id))
            row.title, row.text = title, text
            row.updated_by, row.updated_at = author[:MAX_AUTHOR], _now(now)
            return _info(row)

    def delete(self, reply_id: int) -> SavedReplyInfo:
        """Removes the reply and returns it as it was (for the audit log and the notice)."""
        with self.db.session() as session:
            row = _existing(session.get(SavedReply, reply_id))
            info = _info(row)
            session.delete(row)
            return info


def _existing(row: SavedReply | None) -> SavedReply:
    if row is None:
        raise SavedReplyNotFound()
    return row


def _now(now: float | None) -> float:
    return time.time() if now is None else now
