"""Agents' tags and internal notes on a conversation (tables `conversation_tags`, `conversation_notes`).

Tags are words the agents agree on («error confirmado», «consulta repetida»). They are stored in
one normal form, so «Error  Confirmado» and «error confirmado» are the same tag: the list filter,
the exports and the analytics page count each tag once. Notes are for the agents only: the
customer never sees them. Invalid input raises AnnotationError with the Spanish text the console
shows (ANNOTATION_MESSAGES, the one home of those texts).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql import Select

from protheus.common.text import typed_lines
from protheus.db.database import Database
from protheus.db.handoffs import IN_CHUNK
from protheus.db.models import Conversation, ConversationNote, ConversationTag

MAX_TAG = 60  # conversation_tags.tag
MAX_NOTE = 2000
KNOWN_TAGS_SHOWN = 200

ANNOTATION_MESSAGES = {
    "etiqueta_vacia": "Escriba una etiqueta.",
    "etiqueta_larga": f"La etiqueta es muy larga (máximo {MAX_TAG} caracteres).",
    "nota_vacia": "Escriba la nota antes de guardarla.",
    "nota_larga": f"La nota es muy larga (máximo {MAX_NOTE} caracteres).",
}


def tagged_with(tag: str) -> Select:
    """The conversations carrying a tag (in its normal form), as a subquery for IN."""
    return select(ConversationTag.sender_id).where(ConversationTag.tag == normalise_tag(tag))


class AnnotationError(ValueError):
    """A tag or note that cannot be stored; `reason` is a key of ANNOTATION_MESSAGES."""

    def __init__(self, reason: str) -> None:
        super().__init__(ANNOTATION_MESSAGES[reason])
        self.reason = reason


@dataclass(frozen=True)
class Tag:
    tag: str
    tagged_by: str
    at: float


@dataclass(frozen=True)
class Note:
    id: int
    sender_id: str
    author: str
    text: str
    at: float


def _printable(text: str) -> str:
    """Without control characters (PostgreSQL refuses NULs); whitespace is kept."""
    return "".join(char for char in text if char.isprintable() or char.isspace())


def normalise_tag(text: str) -> str:
    """The stored form of a tag: spaces collapsed, lower case, 1 to MAX_TAG characters."""
    tag = " ".join(_printable(text).split()).lower()
    if not tag:
        raise AnnotationError("etiqueta_vacia")
    if len(tag) > MAX_TAG:
        raise AnnotationError("etiqueta_larga")
    return tag


def normalise_note(text: str) -> str:
    """A note as stored: stripped, 1 to MAX_NOTE characters."""
    note = _printable(typed_lines(text)).strip()
    if not note:
        raise AnnotationError("nota_vacia")
    if len(note) > MAX_NOTE:
        raise AnnotationError("nota_larga")
    return note


def suggestions(known: Iterable[tuple[str, int]], defaults: Iterable[str]) -> list[str]:
    """Tags to offer while typing: those in use (most used first), then the defaults not in use."""
    offered = [tag for tag, _ in known]
    for text in defaults:
        try:
            tag = normalise_tag(text)
        except AnnotationError:
            continue
        if tag not in offered:
            offered.append(tag)
    return offered


class AnnotationStore:
    def __init__(self, db: Database, clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.clock = clock

    # --- tags --------------------------------------------------------------------
    def add_tag(self, sender_id: str, text: str, tagged_by: str) -> tuple[Tag, bool]:
        """Tag a conversation; returns (tag, added). A tag it already carries stays as it was."""
        tag = normalise_tag(text)
        with self.db.session() as session:
            row = session.get(ConversationTag, (sender_id, tag))
            if row is not None:
                return Tag(row.tag, row.tagged_by, row.at), False
            added = Tag(tag, tagged_by, self.clock())
            try:
                with session.begin_nested():
                    session.add(ConversationTag(sender_id=sender_id, tag=tag, tagged_by=tagged_by, at=added.at))
            except IntegrityError:  # another agent added it at the same moment
                row = session.get(ConversationTag, (sender_id, tag))
                if row is None:
                    raise
                return Tag(row.tag, row.tagged_by, row.at), False
            return added, True

    def remove_tag(self, sender_id: str, text: str) -> bool:
        """Take a tag off a conversation; False if it did not carry it."""
        tag = normalise_tag(text)
        with self.db.session() as session:
            removed = session.execute(
                delete(ConversationTag).where(ConversationTag.sender_id == sender_id, ConversationTag.tag == tag)
            )
            return bool(removed.rowcount)

    def tags_of(self, sender_id: str) -> list[Tag]:
        """A conversation's tags, alphabetically, with who added each and when."""
        with self.db.session() as session:
            rows = session.execute(
                select(ConversationTag).where(ConversationTag.sender_id == sender_id).order_by(ConversationTag.tag)
            ).scalars()
            return [Tag(r.tag, r.tagged_by, r.at) for r in rows]

    def tags_of_many(self, sender_ids: Iterable[str]) -> dict[str, list[str]]:
        """Each conversation's tag names, alphabetically (the conversation list and the exports)."""
        senders = list(dict.fromkeys(sender_ids))
        found: dict[str, list[str]] = {}
        with self.db.session() as session:
            for start in range(0, len(senders), IN_CHUNK):
                chunk = senders[start : start + IN_CHUNK]
                query = (
                    select(ConversationTag.sender_id, ConversationTag.tag)
                    .where(ConversationTag.sender_id.in_(chunk))
                    .order_by(ConversationTag.tag)
                )
                for sender, tag in session.execute(query).all():
                    found.setdefault(sender, []).append(tag)
        return found

    def known_tags(self, limit: int = KNOWN_TAGS_SHOWN) -> list[tuple[str, int]]:
        """Tags in use and on how many conversations, most used first (suggestions, the list's filter)."""
        count = func.count().label("conversations")
        with self.db.session() as session:
            query = (
                select(ConversationTag.tag, count)
                .group_by(ConversationTag.tag)
                .order_by(count.desc(), ConversationTag.tag)
                .limit(limit)
            )
            return [(tag, total) for tag, total in session.execute(query).all()]

    def tag_counts(self, start: float, end: float, among_tag: str | None = None) -> list[tuple[str, int]]:
        """Per tag, how many conversations started in [start, end) (epoch seconds) carry it,
        most first (the analytics page); with `among_tag`, only among the conversations that
        carry that one (the page filtered by a tag)."""
        count = func.count().label("conversations")
        conditions = [Conversation.started_at >= start, Conversation.started_at < end]
        if among_tag is not None:
            conditions.append(ConversationTag.sender_id.in_(tagged_with(among_tag)))
        with self.db.session() as session:
            query = (
                select(ConversationTag.tag, count)
                .join(Conversation, Conversation.sender_id == ConversationTag.sender_id)
                .where(*conditions)
                .group_by(ConversationTag.tag)
                .order_by(count.desc(), ConversationTag.tag)
            )
            return [(tag, total) for tag, total in session.execute(query).all()]

    # --- notes -------------------------------------------------------------------
    def add_note(self, sender_id: str, author: str, text: str) -> Note:
        note = normalise_note(text)
        with self.db.session() as session:
            row = ConversationNote(sender_id=sender_id, author=author, text=note, at=self.clock())
            session.add(row)
            session.flush()
            return Note(row.id, row.sender_id, row.author, row.text, row.at)

    def notes_of(self, sender_id: str) -> list[Note]:
        """A conversation's internal notes, newest first."""
        with self.db.session() as session:
            rows = session.execute(
                select(ConversationNote)
                .where(ConversationNote.sender_id == sender_id)
                .order_by(ConversationNote.at.desc(), ConversationNote.id.desc())
            ).scalars()
            return [Note(r.id, r.sender_id, r.author, r.text, r.at) for r in rows]
