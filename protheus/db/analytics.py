"""How the assistant is doing, for a date range: read-only figures over the console's index
(conversations, their intents and customer messages), the hand-offs, the satisfaction survey
and the agents' tags. The console's /consola/analitica draws them, each with its table."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import Float, Integer, cast, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from protheus.common.vocabulary import AttendedBy
from protheus.db.annotations import AnnotationStore, tagged_with
from protheus.db.database import Database
from protheus.db.models import Conversation, ConversationIntent, CustomerMessage, Handoff, Satisfaction
from protheus.db.satisfaction import SCORES

TOP = 10
QUARTER = 900  # seconds


@dataclass(frozen=True)
class Durations:
    """Seconds: how many, their median and 90th percentile."""

    count: int = 0
    median: float | None = None
    p90: float | None = None

    @classmethod
    def of(cls, seconds: list[float]) -> Durations:
        if not seconds:
            return cls()
        ordered = sorted(seconds)
        return cls(len(ordered), statistics.median(ordered), ordered[_p90_offset(len(ordered))])

    @classmethod
    def query(cls, session, seconds: ColumnElement, where: ColumnElement) -> Durations:
        """The durations computed by the database (one float per hand-off leaves it)."""
        values = session.execute(select(seconds).where(where & seconds.is_not(None))).scalars()
        return cls.of([round(float(v), 3) for v in values])  # julianday is exact to a few microseconds


def _p90_offset(count: int) -> int:
    return min(count - 1, int(round(0.9 * (count - 1))))


@dataclass(frozen=True)
class SurveyScores:
    """Answered surveys of one kind of attention: how many gave each score, and the average."""

    scores: dict[int, int] = field(default_factory=lambda: {score: 0 for score in SCORES})

    @property
    def answered(self) -> int:
        return sum(self.scores.values())

    @property
    def average(self) -> float | None:
        total = self.answered
        return None if not total else sum(score * n for score, n in self.scores.items()) / total


@dataclass(frozen=True)
class SupportFigures:
    conversations: int
    handed_off: int  # conversations with at least one hand-off
    with_fallback: int  # conversations where the bot had to ask what the customer meant
    handoffs_by_channel: dict[str, int]
    top_intents: list[tuple[str, int]]
    least_sure: list[tuple[str, str, float]]  # sender, text, confidence: first messages, not form answers
    queue_wait: Durations = field(default_factory=Durations)
    time_to_close: Durations = field(default_factory=Durations)
    by_day: list[tuple[str, int, int]] = field(default_factory=list)  # day, conversations, handed off
    satisfaction: dict[AttendedBy, SurveyScores] = field(default_factory=dict)
    surveys_asked: int = 0
    tags: list[tuple[str, int]] = field(default_factory=list)  # tag, conversations
    # Answers to form questions the answer reader was least sure of: sender, text, question, confidence.
    least_sure_answers: list[tuple[str, str, str, float]] = field(default_factory=list)

    @property
    def containment(self) -> float | None:
        """Share of conversations the assistant handled without a hand-off."""
        return None if not self.conversations else 1 - self.handed_off / self.conversations

    @property
    def fallback_rate(self) -> float | None:
        return None if not self.conversations else self.with_fallback / self.conversations


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, timezone.utc)


class SupportAnalytics:
    def __init__(self, db: Database) -> None:
        self.db = db

    def figures(self, start: float, end: float, zone: str = "UTC", tag: str | None = None) -> SupportFigures:
        """Conversations started in [start, end) (epoch seconds) and hand-offs created then; the
        days are the console's (`zone`). With `tag`, only the conversations the agents tagged so."""
        in_range = (Conversation.started_at >= start) & (Conversation.started_at < end)
        handoff_range = (Handoff.created_at >= _utc(start)) & (Handoff.created_at < _utc(end))
        asked = (Satisfaction.asked_at >= start) & (Satisfaction.asked_at < end)
        messages = (CustomerMessage.at >= start) & (CustomerMessage.at < end)
        if tag is not None:
            tagged = tagged_with(tag)
            in_range &= Conversation.sender_id.in_(tagged)
            handoff_range &= Handoff.sender_id.in_(tagged)
            asked &= Satisfaction.sender_id.in_(tagged)
            messages &= CustomerMessage.sender_id.in_(tagged)
        with self.db.session() as session:
            total = session.execute(select(func.count()).where(in_range)).scalar_one()
            fallback = session.execute(select(func.count()).where(in_range, Conversation.had_fallback)).scalar_one()
            by_channel = dict(
                session.execute(
                    select(Handoff.channel, func.count()).where(handoff_range).group_by(Handoff.channel)
                ).all()
            )
            intents = session.execute(
                select(ConversationIntent.intent, func.count())
                .join(Conversation, Conversation.sender_id == ConversationIntent.sender_id)
                .where(in_range)
                .group_by(ConversationIntent.intent)
                .order_by(func.count().desc(), ConversationIntent.intent)
                .limit(TOP)
            ).all()
            unsure = session.execute(
                select(CustomerMessage.sender_id, CustomerMessage.text, CustomerMessage.confidence)
                .where(messages, CustomerMessage.confidence.is_not(None), CustomerMessage.question.is_(None))
                .order_by(CustomerMessage.confidence, CustomerMessage.event_id)
                .limit(TOP)
            ).all()
            unsure_answers = session.execute(
                select(
                    CustomerMessage.sender_id,
                    CustomerMessage.text,
                    CustomerMessage.question,
                    CustomerMessage.answer_confidence,
                )
                .where(messages, CustomerMessage.answer_confidence.is_not(None))
                .order_by(CustomerMessage.answer_confidence, CustomerMessage.event_id)
                .limit(TOP)
            ).all()
            queue_wait = Durations.query(session, _seconds_between(Handoff.created_at, Handoff.taken_at), handoff_range)
            to_close = Durations.query(session, _seconds_between(Handoff.created_at, Handoff.closed_at), handoff_range)
            # Counted per day in SQL when the zone's offset is the same all through the range, else
            # per hour or quarter of an hour (every offset is a multiple), which _by_day adds up.
            size, shift = _buckets(start, end, ZoneInfo(zone))
            bucket = _floor_div(Conversation.started_at + shift, size, self.db.engine.dialect.name)
            handed = select(func.distinct(Handoff.sender_id).label("sender_id")).subquery()
            buckets = session.execute(
                select(bucket, func.count(), func.count(handed.c.sender_id))
                .select_from(Conversation)
                .outerjoin(handed, handed.c.sender_id == Conversation.sender_id)
                .where(in_range)
                .group_by(bucket)
            ).all()
            surveys_asked = session.execute(select(func.count()).where(asked)).scalar_one()
            scores = session.execute(
                select(Satisfaction.attended_by, Satisfaction.score, func.count())
                .where(asked, Satisfaction.score.is_not(None))
                .group_by(Satisfaction.attended_by, Satisfaction.score)
            ).all()
        return SupportFigures(
            total,
            sum(n for _, _, n in buckets),
            fallback,
            {str(k): v for k, v in by_channel.items()},
            [(str(i), n) for i, n in intents],
            [(s, t, float(c)) for s, t, c in unsure],
            queue_wait,
            to_close,
            _by_day(buckets, size, shift, ZoneInfo(zone)),
            _satisfaction(scores),
            surveys_asked,
            AnnotationStore(self.db).tag_counts(start, end, tag)[:TOP],
            [(s, t, str(q), float(c)) for s, t, q, c in unsure_answers],
        )


def _satisfaction(rows: list) -> dict[AttendedBy, SurveyScores]:
    found = {kind: SurveyScores() for kind in AttendedBy}
    for kind, score, count in rows:
        attended = AttendedBy.parse(kind)
        if attended is not None and score in found[attended].scores:
            found[attended].scores[score] += count
    return found


def _floor_div(value: ColumnElement, size: int, dialect: str) -> ColumnElement:
    """floor(value / size) of a positive epoch-seconds expression, as an integer."""
    if dialect == "sqlite":  # no FLOOR in every SQLite; positive values truncate to their floor
        return cast(value / size, Integer)
    return cast(func.floor(value / size), Integer)


def _buckets(start: float, end: float, zone: ZoneInfo) -> tuple[int, int]:
    """(bucket seconds, seconds to add): whole local days when the offset never changes in the
    range, else hours or quarters of an hour in UTC."""
    moments = [*range(int(start), int(end), 86400), int(end)]
    offsets = {int(datetime.fromtimestamp(t, zone).utcoffset().total_seconds()) for t in moments}  # type: ignore[union-attr]
    if len(offsets) == 1:
        return 86400, offsets.pop()
    return (3600 if all(o % 3600 == 0 for o in offsets) else QUARTER), 0


class _seconds_between(FunctionElement):
    """Seconds from one stored time to another (NULL when either is)."""

    type = Float()
    inherit_cache = True


@compiles(_seconds_between)
def _epoch_difference(element: _seconds_between, compiler, **kw) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"EXTRACT(EPOCH FROM ({end} - {start}))"


@compiles(_seconds_between, "sqlite")
def _julian_difference(element: _seconds_between, compiler, **kw) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 86400.0)"


def _by_day(buckets: list, size: int, shift: int, zone: ZoneInfo) -> list[tuple[str, int, int]]:
    days: dict[str, list[int]] = {}
    for bucket, count, handed in buckets:
        day = datetime.fromtimestamp(int(bucket) * size - shift, zone).date().isoformat()
        counts = days.setdefault(day, [0, 0])
        counts[0] += count
        counts[1] += handed
    return [(day, n, h) for day, (n, h) in sorted(days.items())]
