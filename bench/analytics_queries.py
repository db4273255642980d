"""The analytics page's figures on 100,000 conversations (SQLite and PostgreSQL).

Fills the console's index (conversations, their intents and customer messages) with synthetic
conversations over 90 days, with hand-offs, answered surveys and tags as the console stores
them, and prints the median time of SupportAnalytics.figures for a 30-day and a 90-day range.
The baseline, measured in the same run, is the same figures computed in Python from every row
of the range (no SQL aggregation), as a page without GROUP BY queries would.
Usage: python bench/analytics_queries.py [--conversations 100000] [--runs 7] [--postgres]
"""

from __future__ import annotations

import argparse
import random
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone

from databases import databases, median_ms  # bench/databases.py
from sqlalchemy import insert, select

from protheus.db import prepare
from protheus.db.analytics import SupportAnalytics
from protheus.db.database import Database
from protheus.db.models import (
    Conversation,
    ConversationIntent,
    ConversationTag,
    CustomerMessage,
    Handoff,
    Satisfaction,
)

INTENTS = ["reportar_error", "info_prime", "horario_atencion", "hablar_con_humano", "consulta_sql", "recuperar_backup"]
CHANNELS = ["soporte_estandar", "consultoria_remota", "agente_humano", "externo", "soporte_prime"]
START = 1_790_000_000.0  # September 2026
SPREAD = 90 * 86400  # the conversations' 90 days
ZONE = "America/Mexico_City"


def rows_for(number: int, total: int, rng: random.Random) -> dict[str, list[dict]]:
    sender = f"bench-{number:06d}"
    at = START + number * SPREAD / total
    intents = rng.sample(INTENTS, 2)
    confidence = [rng.uniform(0.2, 1.0) for _ in intents]
    rows: dict[str, list[dict]] = {
        "conversations": [
            {
                "sender_id": sender,
                "channel": rng.choice(["socketio", "rest"]),
                "started_at": at,
                "last_at": at + 120,
                "turns": 2,
                "min_confidence": min(confidence),
                "had_fallback": min(confidence) < 0.4,
                "intents": " ".join(intents),
                "first_message": "al grabar el pedido sale un error",
                "last_event_id": number * 10 + 9,
            }
        ],
        "intents": [{"sender_id": sender, "intent": i} for i in intents],
        "messages": [
            {
                "event_id": number * 10 + k,
                "sender_id": sender,
                "at": at + 30 * k,
                "text": f"mensaje {k} de {sender}",
                "search_text": f"mensaje {k} de {sender}",
                "intent": intents[k],
                "confidence": confidence[k],
                "fallback": confidence[k] < 0.4,
            }
            for k in range(2)
        ],
        "handoffs": [],
        "surveys": [],
        "tags": [],
    }
    if rng.random() < 0.3:
        created = datetime.fromtimestamp(at + 60, timezone.utc)
        rows["handoffs"].append(
            {
                "id": f"D{number:08X}",
                "sender_id": sender,
                "channel": rng.choice(CHANNELS),
                "intent": intents[0],
                "slots": {},
                "summary": "",
                "status": "cerrado",
                "assigned_to": "ana",
                "created_at": created,
                "updated_at": created,
                "taken_at": created + timedelta(seconds=rng.uniform(30, 900)),
                "closed_at": created + timedelta(seconds=rng.uniform(900, 7200)),
            }
        )
    if rng.random() < 0.2:
        rows["surveys"].append(
            {
                "sender_id": sender,
                "survey_id": uuid.uuid4().hex,
                "handoff_id": None,
                "attended_by": rng.choice(["asistente", "agente"]),
                "score": rng.randint(1, 5),
                "comment": None,
                "asked_at": at + 130,
                "answered_at": at + 140,
            }
        )
    if number % 13 == 0:
        rows["tags"].append({"sender_id": sender, "tag": "consulta repetida", "tagged_by": "ana", "at": at})
    return rows


TABLES = {
    "conversations": Conversation,
    "intents": ConversationIntent,
    "messages": CustomerMessage,
    "handoffs": Handoff,
    "surveys": Satisfaction,
    "tags": ConversationTag,
}


def load(db: Database, conversations: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    batch: dict[str, list[dict]] = {name: [] for name in TABLES}
    with db.engine.begin() as connection:
        for number in range(conversations):
            for name, rows in rows_for(number, conversations, rng).items():
                batch[name] += rows
            if number % 5000 == 4999 or number == conversations - 1:
                for name, rows in batch.items():
                    if rows:
                        connection.execute(insert(TABLES[name].__table__), rows)
                batch = {name: [] for name in TABLES}


def python_figures(db: Database, start: float, end: float) -> dict:
    """The baseline: every row of the range read and counted in Python."""
    with db.engine.connect() as connection:
        conversations = connection.execute(
            select(Conversation).where(Conversation.started_at >= start, Conversation.started_at < end)
        ).all()
        senders = {row.sender_id for row in conversations}
        intents = Counter(
            row.intent for row in connection.execute(select(ConversationIntent)) if row.sender_id in senders
        )
        handoffs = [row for row in connection.execute(select(Handoff)) if row.sender_id in senders]
        messages = sorted(
            (row for row in connection.execute(select(CustomerMessage)) if start <= row.at < end),
            key=lambda row: row.confidence,
        )[:10]
        scores = Counter(
            (row.attended_by, row.score)
            for row in connection.execute(select(Satisfaction))
            if start <= row.asked_at < end and row.score
        )
    return {
        "conversations": len(conversations),
        "handed_off": len({h.sender_id for h in handoffs}),
        "top": intents.most_common(10),
        "unsure": messages,
        "scores": scores,
    }


def run(db: Database, conversations: int, runs: int) -> None:
    prepare(db)
    started = time.perf_counter()
    load(db, conversations)
    print(f"cargadas {conversations:,} conversaciones en {time.perf_counter() - started:.1f} s")
    analytics = SupportAnalytics(db)
    print(f"{'rango':10} {'conversaciones':>15} {'mediana':>10} {'línea base':>12} {'× más rápido':>13}")
    for days in (30, 90):
        end = START + SPREAD
        start = end - days * 86400
        figures = analytics.figures(start, end, ZONE)
        baseline = python_figures(db, start, end)
        assert figures.conversations == baseline["conversations"], "the two ways must agree"
        assert figures.handed_off == baseline["handed_off"]
        ms = median_ms(lambda start=start, end=end: analytics.figures(start, end, ZONE), runs)
        base = median_ms(lambda start=start, end=end: python_figures(db, start, end), max(3, runs // 2))
        print(f"{days:>3} días   {figures.conversations:15,} {ms:8.0f} ms {base:10.0f} ms {base / ms:12.1f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--postgres", action="store_true", help="también en PostgreSQL (127.0.0.1:5432)")
    args = parser.parse_args()
    for label, db in databases(args.postgres):
        print(f"\n== {label} ==")
        run(db, args.conversations, args.runs)


if __name__ == "__main__":
    main()
