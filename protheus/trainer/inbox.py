"""The NLU inbox: what customers wrote that is not yet a training example, worst first.

Flagged by an agent first, then messages that got the clarification question, then by
rising confidence. A trainer confirms the predicted intent, picks another, or discards;
confirmed messages are scrubbed of private data and appended to the intent's data file.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import select

from protheus.common.vocabulary import InboxVerdict
from protheus.db.conversations import ConversationStore
from protheus.db.customers import CustomerStore
from protheus.db.database import Database
from protheus.db.models import CustomerMessage, InboxDecision, MessageFlag
from protheus.trainer.nlu_files import TrainingFiles, clean_example
from protheus.trainer.scrubber import Scrubber, dedupe_key


@dataclass(frozen=True)
class InboxItem:
    event_id: int
    sender_id: str
    at: float
    text: str
    intent: str | None
    confidence: float | None
    fallback: bool
    flagged: bool


@dataclass
class LabelReport:
    written: list[str]
    duplicates: int
    missing: int


class Inbox:
    def __init__(self, db: Database, files: TrainingFiles) -> None:
        self.db = db
        self.files = files

    def scrubber(self) -> Scrubber:
        """Known customer codes and names come from the customers table."""
        codes, names = CustomerStore(self.db).codes_and_names()
        return Scrubber(codes, names)

    def items(self, limit: int = 200) -> list[InboxItem]:
        ConversationStore(self.db).sync()
        known = self.files.known_keys()
        with self.db.session() as session:
            rows = session.execute(
                select(CustomerMessage, MessageFlag.id)
                .join(MessageFlag, MessageFlag.event_id == CustomerMessage.event_id, isouter=True)
                .join(InboxDecision, InboxDecision.event_id == CustomerMessage.event_id, isouter=True)
                .where(InboxDecision.event_id.is_(None))
            ).all()
        items = [
            InboxItem(m.event_id, m.sender_id, m.at, m.text, m.intent, m.confidence, bool(m.fallback), flag is not None)
            for m, flag in rows
            if dedupe_key(m.text) not in known
        ]
        items.sort(
            key=lambda i: (not i.flagged, not i.fallback, i.confidence if i.confidence is not None else 0.0, i.at)
        )
        return items[:limit]

    def label(self, event_ids: list[int], intent: str | None, by: str) -> LabelReport:
        """Write the messages as examples of `intent` (None: each keeps its predicted intent)."""
        valid = self.files.intents()
        messages = ConversationStore(self.db).messages(event_ids)
        scrub = self.scrubber()
        by_intent: dict[str, list[tuple[int, str]]] = {}
        for event_id in event_ids:
            message = messages.get(event_id)
            target = intent or (message.intent if message else None)
            if message is None or target not in valid:
                continue
            by_intent.setdefault(target, []).append((event_id, clean_example(scrub.scrub(message.text))))
        written, duplicates, decisions = [], 0, []
        for target, pairs in by_intent.items():
            fresh = set(self.files.add(target, [text for _, text in pairs]))
            for event_id, text in pairs:
                done = text in fresh
                fresh.discard(text)
                written += [text] if done else []
                duplicates += 0 if done else 1
                decisions.append(
                    InboxDecision(
                        event_id=event_id,
                        decision=(InboxVerdict.LABELLED if done else InboxVerdict.DUPLICATE).value,
                        intent=target,
                        written_text=text if done else None,
                        decided_by=by,
                        decided_at=time.time(),
                    )
                )
        self._record(decisions)
        return LabelReport(written, duplicates, len(event_ids) - len(decisions))

    def discard(self, event_ids: list[int], by: str) -> int:
        existing = ConversationStore(self.db).messages(event_ids)
        self._record(
            [
                InboxDecision(event_id=e, decision=InboxVerdict.DISCARDED.value, decided_by=by, decided_at=time.time())
                for e in event_ids
                if e in existing
            ]
        )
        return len(existing)

    def _record(self, decisions: list[InboxDecision]) -> None:
        with self.db.session() as session:
            for decision in decisions:
                session.merge(decision)
