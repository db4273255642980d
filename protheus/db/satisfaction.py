"""The satisfaction survey (table `satisfaction`): asked once per chat session, answered once.

Asking creates the row with a random survey id that goes to the customer's page in the
survey card; the answer comes back with that id and the customer's chat session, and is
kept only for the conversation it was asked in. Scores are 1–5; the comment is optional.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select, update

from protheus.common.vocabulary import AttendedBy
from protheus.db.database import Database
from protheus.db.models import Satisfaction

SCORES = range(1, 6)
MAX_COMMENT = 1000


class SurveyError(ValueError):
    """An answer that cannot be kept; `key` names its Spanish text (mensajes.yml → encuesta)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Survey:
    survey_id: str
    sender_id: str
    attended_by: AttendedBy
    handoff_id: str | None
    asked_at: float
    score: int | None = None
    comment: str | None = None


def session_started_at(events: Iterable[dict]) -> float:
    """When the conversation's current session began (0: no session event stored)."""
    started = 0.0
    for event in events:
        if event.get("event") == "session_started":
            started = float(event.get("timestamp") or 0.0)
    return started


def attended_by(events: Iterable[dict], since: float) -> AttendedBy:
    """An agent wrote in this session (a bot event the console sent, marked with the agent)."""
    for event in events:
        written_by_agent = event.get("event") == "bot" and (event.get("metadata") or {}).get("agente")
        if written_by_agent and float(event.get("timestamp") or 0.0) >= since:
            return AttendedBy.AGENT
    return AttendedBy.ASSISTANT


def _survey(row: Satisfaction) -> Survey:
    return Survey(
        row.survey_id,
        row.sender_id,
        AttendedBy(row.attended_by),
        row.handoff_id,
        row.asked_at,
        row.score,
        row.comment,
    )


class SatisfactionStore:
    def __init__(self, db: Database, clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.clock = clock

    def ask(
        self, sender_id: str, attended: AttendedBy, session_start: float, handoff_id: str | None = None
    ) -> Survey | None:
        """A new survey for the conversation, or None when one was asked since `session_start`
        (never twice in a session)."""
        with self.db.session() as session:
            asked = session.execute(
                select(Satisfaction.id)
                .where(Satisfaction.sender_id == sender_id, Satisfaction.asked_at >= session_start)
                .limit(1)
            ).first()
            if asked is not None:
                return None
            row = Satisfaction(
                sender_id=sender_id,
                survey_id=secrets.token_urlsafe(12),
                handoff_id=handoff_id,
                attended_by=AttendedBy(attended).value,
                asked_at=self.clock(),
            )
            session.add(row)
            session.flush()
            return _survey(row)

    def answer(self, survey_id: str, sender_id: str, score: object, comment: object = None) -> Survey:
        """Keep the customer's answer; SurveyError when it cannot be kept."""
        if not isinstance(score, int) or isinstance(score, bool) or score not in SCORES:
            raise SurveyError("elija_puntos")
        text = comment.strip() if isinstance(comment, str) else ""
        if len(text) > MAX_COMMENT:
            raise SurveyError("comentario_largo")
        with self.db.session() as session:
            row = session.execute(
                select(Satisfaction).where(Satisfaction.survey_id == survey_id, Satisfaction.sender_id == sender_id)
            ).scalar_one_or_none()
            if row is None:
                raise SurveyError("no_valida")
            kept = session.execute(
                update(Satisfaction)
                .where(Satisfaction.id == row.id, Satisfaction.answered_at.is_(None))
                .values(score=score, comment=text or None, answered_at=self.clock())
            )
            if kept.rowcount != 1:
                raise SurveyError("ya_respondida")
            session.refresh(row)
            return _survey(row)

    def of_conversation(self, sender_id: str) -> list[Survey]:
        with self.db.session() as session:
            rows = session.execute(
                select(Satisfaction).where(Satisfaction.sender_id == sender_id).order_by(Satisfaction.asked_at)
            ).scalars()
            return [_survey(r) for r in rows]


def survey_message(survey: Survey, question: str) -> dict:
    """The bot message that asks: the question as text (any client reads it) and the card's
    payload, {"encuesta": {"id": ...}}, which the web chat shows with its five buttons."""
    return {"text": question, "custom": {"encuesta": {"id": survey.survey_id}}}
