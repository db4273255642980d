"""Two requests in one message (issue 11): how often the bot answers one of them and offers the
other, and how often it offers something in a message that held only one request (the three
test splits). Baseline in the same run: the same model without the offer (nothing is offered).

Usage: python bench/second_request.py [--modelo M]
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

import yaml

from protheus.common.paths import PROJECT
from protheus.db import prepare
from protheus.db.database import Database
from protheus.support.customer_words import OTHER_REQUEST
from protheus.support.routing import NOT_OFFERED
from protheus.trainer.evaluation import load_examples, quiet_logs
from protheus.trainer.lifecycle import ModelLifecycle

PAIRS = PROJECT.root / "tests" / "data" / "dos_consultas.yml"


async def parses(model: Path, texts: list[str]) -> list[dict]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def offered(parse: dict) -> str | None:
    other = (parse.get(OTHER_REQUEST) or {}).get("name")
    return other if other and other not in NOT_OFFERED else None


def measure(model: Path) -> dict[str, float]:
    pairs = yaml.safe_load(PAIRS.read_text(encoding="utf-8"))
    results = asyncio.run(parses(model, [text for text, _, _ in pairs]))
    both = sum(
        {(p.get("intent") or {}).get("name"), offered(p)} == {first, second}
        for p, (_, first, second) in zip(results, pairs, strict=True)
    )
    singles = [e.text for e in load_examples(PROJECT.test_split)]
    false_offers = sum(offered(p) is not None for p in asyncio.run(parses(model, singles)))
    return {"pairs": len(pairs), "both": both, "singles": len(singles), "false_offers": false_offers}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--modelo", type=Path, default=None)
    args = parser.parse_args()
    quiet_logs()
    db = Database()
    prepare(db)
    model = args.modelo or ModelLifecycle(db).active_model()
    if model is None:
        raise SystemExit("No hay modelo: ejecute `make train`.")
    r = measure(model)
    print(
        f"dos consultas en un mensaje: se responde una y se ofrece la otra en {r['both']}/{r['pairs']} "
        f"({r['both'] / r['pairs']:.0%}); base sin la oferta: 0/{r['pairs']}"
    )
    print(
        f"mensajes con una sola consulta en que se ofrece otra: {r['false_offers']}/{r['singles']} "
        f"({r['false_offers'] / r['singles']:.1%})"
    )


if __name__ == "__main__":
    main()
