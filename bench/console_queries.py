"""Conversation list and filter latency of the agent console on 100,000 Rasa events.

Loads synthetic conversations into Rasa's `events` table (as Rasa serialises them),
indexes them, and prints the median latency of each console query. The baseline,
measured in the same run, is what the console would do without the index: read the
events and aggregate them per conversation on every page view.
Usage: python bench/console_queries.py [--events 100000] [--runs 15] [--postgres]
"""

from __future__ import annotations

import argparse
import json
import random
import time
import uuid
from collections import defaultdict
from datetime import date

from databases import databases, median_ms  # bench/databases.py
from sqlalchemy import insert, select, update

from protheus.common.text import fold
from protheus.db import prepare
from protheus.db.annotations import AnnotationStore
from protheus.db.conversations import EVENTS, ConversationFilter, ConversationStore
from protheus.db.database import Database
from protheus.db.models import ConversationTag, CustomerMessage

INTENTS = [
    "reportar_error",
    "info_prime",
    "solicitar_capacitacion",
    "horario_atencion",
    "hablar_con_humano",
    "consulta_sql_personalizada",
    "recuperar_backup",
    "info_consultoria",
]
PHRASES = [
    "al grabar el pedido sale un error",
    "qué es el soporte prime",
    "necesito una capacitación",
    "en qué horario atienden",
    "quiero hablar con una persona",
    "necesito una consulta SQL",
    "recuperar un backup de ayer",
    "cuánto cuesta la consultoría",
]
EVENTS_PER_CONVERSATION = 10
TAGS = {"error confirmado": 10, "consulta repetida": 37}  # each on one conversation in N
START = 1_793_000_000.0  # November 2026


def conversation_events(sender: str, start: float, rng: random.Random) -> list[dict]:
    channel = rng.choice(["socketio", "rest"])
    rows, clock = [], start

    def add(kind: str, data: dict, intent=None, action=None):
        nonlocal clock
        clock += rng.uniform(1, 30)
        rows.append(
            {
                "sender_id": sender,
                "type_name": kind,
                "timestamp": clock,
                "intent_name": intent,
                "action_name": action,
                "data": json.dumps({"event": kind, "timestamp": clock, **data}),
            }
        )

    add("action", {"name": "action_session_start"}, action="action_session_start")
    add("session_started", {})
    add("action", {"name": "action_listen"}, action="action_listen")
    for _ in range(2):
        index = rng.randrange(len(INTENTS))
        confidence = rng.uniform(0.2, 1.0)
        intent = INTENTS[index] if confidence >= 0.4 else "nlu_fallback"
        parse = {
            "intent": {"name": intent, "confidence": max(confidence, 0.4)},
            "intent_ranking": [{"name": INTENTS[index], "confidence": confidence}],
            "entities": [],
        }
        add(
            "user",
            {"text": f"{PHRASES[index]} {uuid.uuid4().hex[:6]}", "parse_data": parse, "input_channel": channel},
            intent=intent,
        )
        add("action", {"name": f"utter_{INTENTS[index]}", "policy": "RulePolicy", "confidence": 1.0})
        add("bot", {"text": "respuesta de la pauta", "data": {}, "metadata": {}})
    add("slot", {"name": "codigo_cliente", "value": rng.choice(["STD01", "PRIME01", None])})
    return rows


def load(db: Database, events: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    conversations = events // EVENTS_PER_CONVERSATION
    batch: list[dict] = []
    with db.engine.begin() as connection:
        for number in range(conversations):
            batch += conversation_events(f"bench-{number:06d}", START + number * 60, rng)
            if len(batch) >= 10_000:
                connection.execute(insert(EVENTS), batch)
                batch = []
        if batch:
            connection.execute(insert(EVENTS), batch)
    return conversations


def tag(db: Database, conversations: int) -> None:
    """Agents' tags on some of the conversations, as the console stores them."""
    rows = [
        {"sender_id": f"bench-{number:06d}", "tag": name, "tagged_by": "ana", "at": START}
        for name, every in TAGS.items()
        for number in range(0, conversations, every)
    ]
    with db.engine.begin() as connection:
        connection.execute(insert(ConversationTag), rows)


def unindexed_list(db: Database, text_filter: str | None = None) -> list:
    """The baseline: aggregate every event on each request, as a console without the index would."""
    summary: dict[str, dict] = defaultdict(lambda: {"turns": 0, "min": None, "last": 0.0, "match": text_filter is None})
    with db.engine.connect() as connection:
        for sender, at, data in connection.execute(select(EVENTS.c.sender_id, EVENTS.c.timestamp, EVENTS.c.data)):
            event = json.loads(data)
            row = summary[sender]
            row["last"] = max(row["last"], at)
            if event.get("event") == "user":
                row["turns"] += 1
                if text_filter and text_filter in fold(event.get("text", "")):
                    row["match"] = True
    rows = [(s, r) for s, r in summary.items() if r["match"]]
    return sorted(rows, key=lambda item: item[1]["last"], reverse=True)[:50]


def run(db: Database, events: int, runs: int) -> None:
    prepare(db)
    started = time.perf_counter()
    conversations = load(db, events)
    print(f"cargados {events:,} eventos ({conversations:,} conversaciones) en {time.perf_counter() - started:.1f} s")
    index = ConversationStore(db)
    started = time.perf_counter()
    index.sync()
    print(f"índice inicial: {time.perf_counter() - started:.1f} s (una sola vez; luego es incremental)")
    load_more = [conversation_events("bench-extra", START + 10**7, random.Random(1))]
    with db.engine.begin() as connection:
        connection.execute(insert(EVENTS), load_more[0])
    incremental = median_ms(index.sync, 1)
    tag(db, conversations)
    print(f"índice incremental (10 eventos nuevos): {incremental:.1f} ms")
    with db.engine.begin() as connection:
        connection.execute(update(CustomerMessage).values(masked_with=None))
    started = time.perf_counter()
    remasked = index.remask()
    print(f"copias enmascaradas rehechas al iniciar: {remasked:,} en {time.perf_counter() - started:.1f} s")

    tz = "America/Mexico_City"
    queries = {
        "lista, página 1": ConversationFilter(timezone=tz),
        "lista, página 100": ("page", ConversationFilter(timezone=tz)),
        "intención": ConversationFilter(intent="consulta_sql_personalizada", timezone=tz),
        "canal": ConversationFilter(channel="rest", timezone=tz),
        "confianza < 0,5": ConversationFilter(confidence_below=0.5, timezone=tz),
        "hubo aclaración": ConversationFilter(fallback_only=True, timezone=tz),
        "rango de fechas": ConversationFilter(date_from=date(2026, 10, 27), date_to=date(2026, 10, 28), timezone=tz),
        "texto libre": ConversationFilter(text="backup de ayer", timezone=tz),
        "texto (entrenador)": ConversationFilter(text="backup de ayer", masked=True, timezone=tz),
        "etiqueta": ConversationFilter(tag="consulta repetida", timezone=tz),
        "etiqueta y canal": ConversationFilter(tag="error confirmado", channel="rest", timezone=tz),
        "combinado": ConversationFilter(
            intent="reportar_error", channel="socketio", confidence_below=0.7, text="pedido", timezone=tz
        ),
        "combinado (entrenador)": ConversationFilter(
            intent="reportar_error", channel="socketio", confidence_below=0.7, text="pedido", masked=True, timezone=tz
        ),
    }
    baseline = median_ms(lambda: unindexed_list(db), max(3, runs // 5))
    baseline_text = median_ms(lambda: unindexed_list(db, "backup de ayer"), max(3, runs // 5))
    print(
        f"\nlínea base sin índice (leer y agregar los eventos): lista {baseline:.0f} ms, texto {baseline_text:.0f} ms"
    )
    print(f"{'consulta':22} {'mediana':>10} {'filas':>7} {'× más rápido que la base':>26}")
    for name, query in queries.items():
        page = 1
        if isinstance(query, tuple):
            page, query = 100, query[1]
        total = index.page(query, page=page)[1]
        ms = median_ms(lambda query=query, page=page: index.page(query, page=page), runs)
        base = baseline_text if query.text else baseline
        print(f"{name:22} {ms:8.1f} ms {total:7,} {base / ms:24.0f}×")
    export_ms = median_ms(lambda: index.export(queries["confianza < 0,5"]), max(3, runs // 5))
    print(f"{'exportar (conf. < 0,5)':22} {export_ms:8.1f} ms")
    counts_ms = median_ms(lambda: AnnotationStore(db).tag_counts(START, START + 10**8), runs)
    print(f"{'etiquetas (analítica)':22} {counts_ms:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--postgres", action="store_true", help="también en PostgreSQL (127.0.0.1:5432)")
    args = parser.parse_args()
    for label, db in databases(args.postgres):
        print(f"\n== {label} ==")
        run(db, args.events, args.runs)


if __name__ == "__main__":
    main()
