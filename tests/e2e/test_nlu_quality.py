"""The served model keeps its quality on our three held-out splits (never trained on), with
the figures docs/pipeline.md reports as floors."""

import pytest
import yaml

from protheus.common.paths import PROJECT
from protheus.support.customer_words import OTHER_REQUEST
from protheus.trainer.evaluation import load_examples, metrics, prediction_from_parse

pytestmark = pytest.mark.server

# split → (macro-F1, most clarifications, accuracy when the bot answers)
FLOORS = {
    "limpio": (0.97, 0.03, 0.985),
    "basico": (1.0, 0.0, 1.0),  # every plainest phrasing, answered and right
    # 0.961 until a pasted log stopped telling the classifier whose code failed (issue 22: the log
    # alone decides nothing); 0.958 since (docs/pipeline.md).
    "dificil": (0.955, 0.05, 0.985),
}


def split(name: str):
    if name == "limpio":
        return [e for path in sorted(PROJECT.test_split.glob("*.yml")) for e in load_examples(path)]
    return load_examples(PROJECT.test_split / name)


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_quality_on_each_split(bot, domain, name):
    examples = split(name)
    predictions = [prediction_from_parse(bot.parse(e.text)) for e in examples]
    result = metrics(examples, predictions, set(domain.intents))
    f1, clarifications, answered = FLOORS[name]
    missed = [
        (e.text, p.intent, p.fell_back)
        for e, p in zip(examples, predictions, strict=True)
        if p.intent != e.intent or p.fell_back
    ]
    assert result["unknown_intents"] == {}
    assert result["macro_f1"] >= f1, missed
    assert result["fallback_rate"] <= clarifications, missed
    assert result["accuracy_when_answered"] >= answered, missed


def test_two_requests_in_one_message_are_both_seen(bot):
    pairs = yaml.safe_load((PROJECT.root / "tests" / "data" / "dos_consultas.yml").read_text(encoding="utf-8"))
    both = 0
    for text, first, second in pairs:
        parse = bot.parse(text)
        both += {parse["intent"]["name"], (parse.get(OTHER_REQUEST) or {}).get("name")} == {first, second}
    assert both >= 0.85 * len(pairs)
