"""How the assistant is doing, for a date range: read-only figures over the console's index
(conversations, their intents and customer messages), the hand-offs, the satisfaction survey
and the agents' tags. The console's /consola/analitica draws them, each with its table."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from protheus.db.annotations import AnnotationStore
from protheus.db.database import Database
from protheus.db.models import Conversation, ConversationIntent, CustomerMessage, Handoff, Satisfaction
from protheus.db.satisfaction import SCORES
from protheus.vocabulary import AttendedBy

TOP = 10


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
        p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
        return cls(len(ordered), statistics.median(ordered), p90)


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
    least_sure: list[tuple[str, str, float]]  # sender, text, confidence
    queue_wait: Durations = field(default_factory=Durations)
    time_to_close: Durations = field(default_factory=Durations)
    by_day: list[tuple[str, int, int]] = field(default_factory=list)  # day, conversations, handed off
    satisfaction: dict[AttendedBy, SurveyScores] = field(default_factory=dict)
    surveys_asked: int = 0
    tags: list[tuple[str, int]] = field(default_factory=list)  # tag, conversations

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

    def figures(self, start: float, end: float, zone: str = "UTC") -> SupportFigures:
        """Conversations started in [start, end) (epoch seconds) and hand-offs created then; the
        days are the console's (`zone`)."""
        in_range = (Conversation.started_at >= start) & (Conversation.started_at < end)
        handoff_range = (Handoff.created_at >= _utc(start)) & (Handoff.created_at < _utc(end))
        with self.db.session() as session:
            total = session.execute(select(func.count()).where(in_range)).scalar_one()
            fallback = session.execute(select(func.count()).where(in_range, Conversation.had_fallback)).scalar_one()
            senders = select(Conversation.sender_id).where(in_range)
            by_channel = dict(
                session.execute(
                    select(Handoff.channel, func.count()).where(handoff_range).group_by(Handoff.channel)
                ).all()
            )
            intents = session.execute(
                select(ConversationIntent.intent, func.count())
                .where(ConversationIntent.sender_id.in_(senders))
                .group_by(ConversationIntent.intent)
                .order_by(func.count().desc(), ConversationIntent.intent)
                .limit(TOP)
            ).all()
            unsure = session.execute(
                select(CustomerMessage.sender_id, CustomerMessage.text, CustomerMessage.confidence)
                .where(CustomerMessage.at >= start, CustomerMessage.at < end, CustomerMessage.confidence.is_not(None))
                .order_by(CustomerMessage.confidence, CustomerMessage.event_id)
                .limit(TOP)
            ).all()
            times = session.execute(
                select(Handoff.created_at, Handoff.taken_at, Handoff.closed_at).where(handoff_range)
            ).all()
            started = session.execute(select(Conversation.sender_id, Conversation.started_at).where(in_range)).all()
            handed_senders = set(
                session.execute(
                    select(func.distinct(Handoff.sender_id)).where(Handoff.sender_id.in_(senders))
                ).scalars()
            )
            asked = (Satisfaction.asked_at >= start) & (Satisfaction.asked_at < end)
            surveys_asked = session.execute(select(func.count()).where(asked)).scalar_one()
            scores = session.execute(
                select(Satisfaction.attended_by, Satisfaction.score, func.count())
                .where(asked, Satisfaction.score.is_not(None))
                .group_by(Satisfaction.attended_by, Satisfaction.score)
            ).all()
        waits = [(t - c).total_seconds() for c, t, _ in times if c and t]
        closes = [(d - c).total_seconds() for c, _, d in times if c and d]
        return SupportFigures(
            total,
            len(handed_senders),
            fallback,
            {str(k): v for k, v in by_channel.items()},
            [(str(i), n) for i, n in intents],
            [(s, t, float(c)) for s, t, c in unsure],
            Durations.of(waits),
            Durations.of(closes),
            _by_day(started, handed_senders, ZoneInfo(zone)),
            _satisfaction(scores),
            surveys_asked,
            AnnotationStore(self.db).tag_counts(start, end)[:TOP],
        )


def _satisfaction(rows: list) -> dict[AttendedBy, SurveyScores]:
    found = {kind: SurveyScores() for kind in AttendedBy}
    for kind, score, count in rows:
        attended = AttendedBy.parse(kind)
        if attended is not None and score in found[attended].scores:
            found[attended].scores[score] += count
    return found


def _by_day(started: list, handed: set[str], zone: ZoneInfo) -> list[tuple[str, int, int]]:
    days: dict[str, list[int]] = {}
    for sender, at in started:
        day = datetime.fromtimestamp(at, zone).date().isoformat()
        counts = days.setdefault(day, [0, 0])
        counts[0] += 1
        counts[1] += sender in handed
    return [(day, n, h) for day, (n, h) in sorted(days.items())]
