"""Conversations for the console, read from Rasa's tracker store (table `events`).

Listing and filtering 100,000 events on the fly would mean parsing every event's JSON
on each page view. Instead one indexer (`_index`) adds events to three small tables: one
row per conversation, one per (conversation, intent) and one per customer message.
Filters then run on indexed columns. Transcripts are read straight from `events`, which
Rasa indexes by sender.

Two feeds give the indexer its events, and it takes each event once whichever brings it
(a conversation remembers the last event id it took; one customer's events are written
in order, under the lock store):
- `sync` reads the rows added to `events` since its last run (the embedded default: the
  console runs it on each page view);
- with an event broker, `protheus.webapp.event_feed` reads what the replicas publish after each
  write, outside the customer's turn, and `catch_up` indexes the conversations named there
  from their own rows beyond what each took. Two replicas publish on two connections, so
  one customer's events can arrive out of order; a conversation's rows cannot.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from zoneinfo import ZoneInfo

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from protheus.common.answer_examples import answer_confidence
from protheus.common.text import MASK_VERSION, fold, mask_contacts
from protheus.common.vocabulary import FlagStatus, Question
from protheus.db.annotations import AnnotationStore
from protheus.db.database import Database
from protheus.db.handoffs import HandoffStore
from protheus.db.models import (
    Conversation,
    ConversationIntent,
    ConversationTag,
    CustomerMessage,
    IndexState,
    MessageFlag,
)

# Rasa 3.6's SQLTrackerStore table, mirrored (Rasa owns it; migration 0002 creates it if missing).
EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)
FALLBACK_INTENTS = {"nlu_fallback", "out_of_scope"}
FALLBACK_ACTIONS = {"action_default_fallback", "action_preparar_aclaracion", "utter_ask_rephrase", "utter_default"}
CUSTOMER_CODE_SLOT = Question.CUSTOMER_CODE.value
REQUESTED_SLOT = "requested_slot"
HIDDEN_ACTIONS = {"action_listen"}
INDEX_NAME = "events"
IN_CHUNK = 500
CHANNEL_CHARS = 32  # conversations.channel


EventRow = tuple[int, str, float | None, dict]  # (events id, sender, timestamp, event data)


class IndexConflict(Exception):
    """Another process indexed the same events first."""


# --- reading events ----------------------------------------------------------------
def parse_data(row_data: str | None) -> dict:
    try:
        return json.loads(row_data or "{}")
    except ValueError:
        return {}


def classifier_confidence(parse: dict) -> float | None:
    """The confidence of the classifier's best real intent (nlu_fallback reports its threshold)."""
    intent = parse.get("intent") or {}
    if intent.get("name") != "nlu_fallback":
        return intent.get("confidence")
    for ranked in parse.get("intent_ranking") or []:
        if ranked.get("name") != "nlu_fallback":
            return ranked.get("confidence")
    return intent.get("confidence")


@dataclass
class _Delta:
    """What a batch of events adds to one conversation."""

    started_at: float
    last_at: float
    turns: int = 0
    min_confidence: float | None = None
    had_fallback: bool = False
    intents: list[str] = field(default_factory=list)
    channel: str | None = None
    customer_code: str | None = None
    first_message: str | None = None
    last_event_id: int = 0
    events: int = 0
    messages: list[CustomerMessage] = field(default_factory=list)
    pending: str | None = None  # the form question being asked, carried over from the last batch
    pending_seen: bool = False  # whether this batch asked or ended a question

    def see(self, event_id: int, at: float, data: dict) -> None:
        self.started_at, self.last_at = min(self.started_at, at), max(self.last_at, at)
        self.last_event_id = max(self.last_event_id, event_id)
        self.events += 1
        kind = data.get("event")
        if kind == "user":
            self._user(event_id, at, data)
        elif kind == "slot" and data.get("name") == CUSTOMER_CODE_SLOT and data.get("value"):
            self.customer_code = str(data["value"])[:32]
        elif kind == "session_started":  # a new session asks nothing yet
            self.pending, self.pending_seen = None, True
        elif kind == "slot" and data.get("name") == REQUESTED_SLOT:
            value = data.get("value")
            self.pending, self.pending_seen = (str(value)[:64] if value else None), True
        elif kind == "action" and data.get("name") in FALLBACK_ACTIONS:
            self.had_fallback = True

    def _user(self, event_id: int, at: float, data: dict) -> None:
        parse = data.get("parse_data") or {}
        intent = (parse.get("intent") or {}).get("name")
        confidence = classifier_confidence(parse)
        text = _stored_text(data.get("text"))
        self.turns += 1
        channel = data.get("input_channel")  # a REST body could once name any JSON here
        self.channel = channel[:CHANNEL_CHARS] if isinstance(channel, str) and channel else self.channel
        if intent and intent not in self.intents:
            self.intents.append(intent)
        if intent in FALLBACK_INTENTS:
            self.had_fallback = True
        question = self.pending  # an answer to a form question is no doubt of the classifier's
        if confidence is not None and not text.startswith("/") and question is None:
            self.min_confidence = confidence if self.min_confidence is None else min(self.min_confidence, confidence)
        if text and not text.startswith("/"):  # button payloads are not something the customer wrote
            self.first_message = self.first_message or text[:500]
            self.messages.append(
                CustomerMessage(
                    event_id=event_id,
                    sender_id="",
                    at=at,
                    text=text,
                    search_text=fold(text),
                    masked_search_text=masked_search_text(text),
                    masked_with=MASK_VERSION,
                    intent=intent,
                    confidence=confidence,
                    fallback=intent in FALLBACK_INTENTS,
                    question=question,
                    answer_confidence=answer_confidence(parse, question) if question else None,
                )
            )


def masked_search_text(text: str) -> str:
    """What a trainer's text filter searches: the text as a trainer sees it, folded."""
    return fold(mask_contacts(text))


def _stored_text(value: object) -> str:
    """A customer's text as the index can store it: PostgreSQL refuses NULs."""
    return value.replace("\x00", "") if isinstance(value, str) else ""


# --- filters -------------------------------------------------------------------------
@dataclass
class ConversationFilter:
    date_from: date | None = None
    date_to: date | None = None
    intent: str | None = None
    channel: str | None = None
    confidence_below: float | None = None
    fallback_only: bool = False
    text: str | None = None
    tag: str | None = None  # as stored (protheus.db.annotations.normalise_tag)
    timezone: str = "America/Mexico_City"
    # For a reader who sees contact data masked: the text filter matches only what they see,
    # else prefix searches would rebuild a masked phone or e-mail one character at a time.
    masked: bool = False

    def _day_start(self, day: date) -> float:
        return datetime.combine(day, dtime.min, tzinfo=ZoneInfo(self.timezone)).timestamp()

    def conditions(self) -> list:
        found = []
        if self.date_from:
            found.append(Conversation.last_at >= self._day_start(self.date_from))
        if self.date_to:
            found.append(Conversation.started_at < self._day_start(self.date_to + timedelta(days=1)))
        if self.intent:
            found.append(
                Conversation.sender_id.in_(
                    select(ConversationIntent.sender_id).where(ConversationIntent.intent == self.intent)
                )
            )
        if self.channel:
            found.append(Conversation.channel == self.channel)
        if self.confidence_below is not None:
            found.append(Conversation.min_confidence < self.confidence_below)
        if self.fallback_only:
            found.append(Conversation.had_fallback.is_(True))
        if self.text and self.text.strip():
            found.append(self._text_condition(self.text.strip()))
        if self.tag:
            found.append(
                Conversation.sender_id.in_(select(ConversationTag.sender_id).where(ConversationTag.tag == self.tag))
            )
        return found

    def _text_condition(self, text: str):
        pattern = "%" + fold(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        searched = CustomerMessage.masked_search_text if self.masked else CustomerMessage.search_text
        in_messages = Conversation.sender_id.in_(
            select(CustomerMessage.sender_id).where(searched.like(pattern, escape="\\"))
        )
        found = [in_messages, Conversation.customer_code == text.upper()]
        if not self.masked or mask_contacts(text) == text:  # an id holding a phone is shown masked
            found.append(Conversation.sender_id == text)
        return or_(*found)


@dataclass(frozen=True)
class ConversationRow:
    sender_id: str
    channel: str | None
    customer_code: str | None
    started_at: float
    last_at: float
    turns: int
    min_confidence: float | None
    had_fallback: bool
    intents: list[str]
    first_message: str | None
    handoffs: list[dict]
    tags: list[str] = field(default_factory=list)
    last_event_id: int = 0  # links to the conversation without its id (conversation_url)


# --- the store -------------------------------------------------------------------------
class ConversationStore:
    _sync_lock = threading.Lock()

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- index -------------------------------------------------------------------
    def catch_up(self, senders: Iterable[str]) -> int:
        """The stream feed: index these conversations' events beyond what each took already."""
        wanted = list(dict.fromkeys(senders))
        with self.db.session() as session:
            taken = {
                sender: last
                for chunk in _chunks(wanted)
                for sender, last in session.execute(
                    select(Conversation.sender_id, Conversation.last_event_id).where(Conversation.sender_id.in_(chunk))
                ).all()
            }
            rows: list[EventRow] = []
            for chunk in _chunks(wanted):
                query = (
                    select(EVENTS.c.id, EVENTS.c.sender_id, EVENTS.c.timestamp, EVENTS.c.data)
                    .where(EVENTS.c.sender_id.in_(chunk), EVENTS.c.id > min(taken.get(s) or 0 for s in chunk))
                    .order_by(EVENTS.c.id)
                )
                rows += [(i, sender, at, parse_data(data)) for i, sender, at, data in session.execute(query).all()]
            return self._index(session, rows)

    def sync(self, batch: int = 5000) -> int:
        """The embedded feed: index the `events` rows added since the last run; returns how many were read."""
        total = 0
        with self._sync_lock:
            while True:
                try:
                    read = self._sync_batch(batch)
                except IndexConflict:
                    return total
                total += read
                if read < batch:
                    return total

    def _sync_batch(self, batch: int) -> int:
        with self.db.session() as session:
            state = session.get(IndexState, INDEX_NAME)
            last = state.last_event_id if state else 0
            rows = session.execute(
                select(EVENTS.c.id, EVENTS.c.sender_id, EVENTS.c.timestamp, EVENTS.c.data)
                .where(EVENTS.c.id > last)
                .order_by(EVENTS.c.id)
                .limit(batch)
            ).all()
            if not rows:
                return 0
            self._index(session, [(i, sender, at, parse_data(data)) for i, sender, at, data in rows])
            self._advance(session, state, last, rows[-1][0])
            return len(rows)

    def _index(self, session, rows: list[EventRow]) -> int:
        """The indexer: add (id, sender, timestamp, data) events; returns how many were new.
        Events a conversation already took are skipped, so a feed may repeat itself."""
        senders = list(dict.fromkeys(sender for _, sender, _, _ in rows))
        existing = {
            c.sender_id: c
            for chunk in _chunks(senders)
            for c in session.execute(select(Conversation).where(Conversation.sender_id.in_(chunk))).scalars()
        }
        deltas: dict[str, _Delta] = {}
        for event_id, sender, at, data in sorted(rows, key=lambda row: row[0]):
            known = existing.get(sender)
            if known is not None and event_id <= (known.last_event_id or 0):
                continue  # taken already, from the other feed or an earlier delivery
            at = at or 0.0
            pending = known.pending_question if known is not None else None
            deltas.setdefault(sender, _Delta(at, at, pending=pending)).see(event_id, at, data)
        if deltas:
            self._apply(session, deltas, existing)
        return sum(d.events for d in deltas.values())

    @staticmethod
    def _advance(session, state: IndexState | None, last: int, new_last: int) -> None:
        if state is None:
            try:
                with session.begin_nested():
                    session.add(IndexState(name=INDEX_NAME, last_event_id=new_last))
            except IntegrityError as error:
                raise IndexConflict() from error
            return
        moved = session.execute(
            update(IndexState)
            .where(IndexState.name == INDEX_NAME, IndexState.last_event_id == last)
            .values(last_event_id=new_last)
        )
        if moved.rowcount != 1:
            raise IndexConflict()

    def _apply(self, session, deltas: dict[str, _Delta], existing: dict[str, Conversation]) -> None:
        senders = list(deltas)
        known_intents = {
            (s, i)
            for chunk in _chunks(senders)
            for s, i in session.execute(
                select(ConversationIntent.sender_id, ConversationIntent.intent).where(
                    ConversationIntent.sender_id.in_(chunk)
                )
            ).all()
        }
        for sender, delta in deltas.items():
            row = existing.get(sender)
            if row is None:
                row = Conversation(
                    sender_id=sender,
                    started_at=delta.started_at,
                    last_at=delta.last_at,
                    turns=0,
                    had_fallback=False,
                    intents="",
                    last_event_id=0,
                )
                session.add(row)
            _merge(row, delta)
            for intent in delta.intents:
                if (sender, intent) not in known_intents:
                    session.add(ConversationIntent(sender_id=sender, intent=intent[:64]))
            for message in delta.messages:
                message.sender_id = sender
                session.add(message)

    # --- queries -------------------------------------------------------------------
    def page(self, filters: ConversationFilter, page: int = 1, per_page: int = 50) -> tuple[list[ConversationRow], int]:
        conditions = filters.conditions()
        with self.db.session() as session:
            total = session.execute(select(func.count()).select_from(Conversation).where(*conditions)).scalar_one()
            query = _newest_first(conditions).offset(max(page - 1, 0) * per_page).limit(per_page)
            rows = session.execute(query).scalars().all()
        return self._rows(rows), total

    def export(self, filters: ConversationFilter, limit: int = 100_000) -> list[ConversationRow]:
        with self.db.session() as session:
            rows = session.execute(_newest_first(filters.conditions()).limit(limit)).scalars().all()
        return self._rows(rows)

    def _rows(self, rows: list[Conversation]) -> list[ConversationRow]:
        handoffs = HandoffStore(self.db).of_conversations(r.sender_id for r in rows)
        tags = AnnotationStore(self.db).tags_of_many(r.sender_id for r in rows)
        return [
            ConversationRow(
                r.sender_id,
                r.channel,
                r.customer_code,
                r.started_at,
                r.last_at,
                r.turns,
                r.min_confidence,
                bool(r.had_fallback),
                r.intents.split(),
                r.first_message,
                [
                    {"id": h.id, "canal": h.channel.value, "estado": h.status.value}
                    for h in handoffs.get(r.sender_id, [])
                ],
                tags.get(r.sender_id, []),
                r.last_event_id or 0,
            )
            for r in rows
        ]

    def remask(self, batch: int = 2000) -> int:
        """Redo the masked copies the trainers' text filter searches where they are missing or
        were made by an older masking (MASK_VERSION); returns how many were redone. Run at start
        (protheus.db.prepare): masking a message costs tens of microseconds."""
        outdated = or_(CustomerMessage.masked_with.is_(None), CustomerMessage.masked_with != MASK_VERSION)
        total = 0
        while True:
            with self.db.session() as session:
                rows = session.execute(
                    select(CustomerMessage.event_id, CustomerMessage.text).where(outdated).limit(batch)
                ).all()
                redone = [
                    {"event_id": i, "masked_search_text": masked_search_text(text), "masked_with": MASK_VERSION}
                    for i, text in rows
                ]
                session.bulk_update_mappings(CustomerMessage, redone)
            total += len(rows)
            if len(rows) < batch:
                return total

    def intents_seen(self) -> list[str]:
        with self.db.session() as session:
            return list(
                session.execute(
                    select(ConversationIntent.intent).distinct().order_by(ConversationIntent.intent)
                ).scalars()
            )

    def channels_seen(self) -> list[str]:
        with self.db.session() as session:
            query = select(Conversation.channel).where(Conversation.channel.isnot(None)).distinct()
            return sorted(session.execute(query).scalars())

    def exists(self, sender_id: str) -> bool:
        """Whether Rasa stored any event of this conversation (indexed yet or not)."""
        with self.db.session() as session:
            query = select(EVENTS.c.id).where(EVENTS.c.sender_id == sender_id).limit(1)
            return session.execute(query).first() is not None

    def sender_of(self, event_id: int) -> str | None:
        """The conversation an event belongs to."""
        with self.db.session() as session:
            query = select(EVENTS.c.sender_id).where(EVENTS.c.id == event_id)
            return session.execute(query).scalar()

    def events(self, sender_id: str) -> list[dict]:
        """Every stored event of a conversation, oldest first, with its database id."""
        with self.db.session() as session:
            rows = session.execute(
                select(EVENTS.c.id, EVENTS.c.timestamp, EVENTS.c.data)
                .where(EVENTS.c.sender_id == sender_id)
                .order_by(EVENTS.c.id)
            ).all()
        return [{**parse_data(data), "_id": event_id, "timestamp": at} for event_id, at, data in rows]

    def written_since(self, since: dict[str, float]) -> dict[str, tuple[int, CustomerMessage]]:
        """Per conversation: how many messages the customer wrote after `since[sender]`, and the last."""
        found: dict[str, tuple[int, CustomerMessage]] = {}
        if not since:
            return found
        with self.db.session() as session:
            for chunk in _chunks(list(since)):
                query = (
                    select(CustomerMessage)
                    .where(CustomerMessage.sender_id.in_(chunk), CustomerMessage.at > min(since[s] for s in chunk))
                    .order_by(CustomerMessage.event_id)
                )
                for message in session.execute(query).scalars():
                    if message.at > since[message.sender_id]:
                        count = found.get(message.sender_id, (0, message))[0]
                        found[message.sender_id] = (count + 1, message)
        return found

    def latest_message_id(self) -> int:
        """The newest indexed customer message (where a live feed starts)."""
        with self.db.session() as session:
            return int(session.execute(select(func.max(CustomerMessage.event_id))).scalar() or 0)

    def messages_after(self, senders: Iterable[str], after_event_id: int, limit: int = 200) -> list[CustomerMessage]:
        """What these conversations' customers wrote after an event id, oldest first."""
        found: list[CustomerMessage] = []
        with self.db.session() as session:
            for chunk in _chunks(list(senders)):
                query = (
                    select(CustomerMessage)
                    .where(CustomerMessage.sender_id.in_(chunk), CustomerMessage.event_id > after_event_id)
                    .order_by(CustomerMessage.event_id)
                    .limit(limit)
                )
                found += session.execute(query).scalars().all()
        return sorted(found, key=lambda m: m.event_id)[:limit]

    def messages(self, event_ids: Iterable[int]) -> dict[int, CustomerMessage]:
        """Indexed customer messages by event id."""
        with self.db.session() as session:
            query = select(CustomerMessage).where(CustomerMessage.event_id.in_(list(event_ids)))
            return {m.event_id: m for m in session.execute(query).scalars()}

    # --- flags -----------------------------------------------------------------------
    def flag(self, event_id: int, username: str, note: str = "") -> bool:
        """Mark a customer message for the trainers; False if it is not a customer message.
        Flagging it again keeps the first flag."""
        with self.db.session() as session:
            event = session.execute(
                select(EVENTS.c.sender_id, EVENTS.c.type_name).where(EVENTS.c.id == event_id)
            ).first()
            if event is None or event.type_name != "user":
                return False
            if session.execute(select(MessageFlag.id).where(MessageFlag.event_id == event_id)).first() is None:
                session.add(
                    MessageFlag(
                        event_id=event_id,
                        sender_id=event.sender_id,
                        flagged_by=username,
                        note=(note or "")[:500],
                        created_at=time.time(),
                        status=FlagStatus.PENDING.value,
                    )
                )
            return True

    def flagged_event_ids(self, sender_id: str) -> set[int]:
        with self.db.session() as session:
            return set(
                session.execute(select(MessageFlag.event_id).where(MessageFlag.sender_id == sender_id)).scalars()
            )

    def flags(self, status: FlagStatus = FlagStatus.PENDING) -> list[dict]:
        with self.db.session() as session:
            rows = session.execute(
                select(MessageFlag, CustomerMessage.text, CustomerMessage.intent, CustomerMessage.confidence)
                .join(CustomerMessage, CustomerMessage.event_id == MessageFlag.event_id, isouter=True)
                .where(MessageFlag.status == status.value)
                .order_by(MessageFlag.created_at.desc())
            ).all()
            return [
                {
                    "event_id": f.event_id,
                    "sender_id": f.sender_id,
                    "flagged_by": f.flagged_by,
                    "note": f.note,
                    "created_at": f.created_at,
                    "text": text or "",
                    "intent": intent,
                    "confidence": confidence,
                }
                for f, text, intent, confidence in rows
            ]


def _newest_first(conditions: list):
    return select(Conversation).where(*conditions).order_by(Conversation.last_at.desc(), Conversation.sender_id)


def _merge(row: Conversation, delta: _Delta) -> None:
    row.started_at = min(row.started_at, delta.started_at)
    row.last_at = max(row.last_at, delta.last_at)
    row.turns = (row.turns or 0) + delta.turns
    if delta.min_confidence is not None:
        row.min_confidence = (
            delta.min_confidence if row.min_confidence is None else min(row.min_confidence, delta.min_confidence)
        )
    row.had_fallback = bool(row.had_fallback) or delta.had_fallback
    intents = (row.intents or "").split()
    row.intents = " ".join(intents + [i for i in delta.intents if i not in intents])
    row.channel = delta.channel or row.channel
    row.customer_code = delta.customer_code or row.customer_code
    row.first_message = row.first_message or delta.first_message
    row.last_event_id = max(row.last_event_id or 0, delta.last_event_id)
    if delta.pending_seen:
        row.pending_question = delta.pending


def _chunks(items: list, size: int = IN_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
