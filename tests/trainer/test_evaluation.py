"""`make eval`: metrics, the JSON last line, unknown labels reported, bad files give exit code 2."""

import json
import subprocess
import sys

import pytest

from protheus.common.paths import PROJECT
from protheus.trainer.evaluation import (
    EvaluationError,
    Example,
    Prediction,
    load_examples,
    metrics,
    prediction_from_parse,
)


def test_metrics_per_intent_and_confusions():
    examples = [Example("a", "saludo"), Example("b", "saludo"), Example("c", "despedida"), Example("d", "raro")]
    predictions = [
        Prediction("saludo", 0.9, False),
        Prediction("despedida", 0.5, True),
        Prediction("despedida", 0.8, False),
        Prediction("saludo", 0.7, False),
    ]
    result = metrics(examples, predictions, known={"saludo", "despedida"})
    assert result["n"] == 4 and result["accuracy"] == 0.5
    assert result["per_intent"]["saludo"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert result["top_confusions"][0]["count"] == 1
    assert result["unknown_intents"] == {"raro": 1}
    assert result["fallback_rate"] == 0.25
    # "b" asked for clarification; of the three answered, two are right.
    assert result["accuracy_when_answered"] == round(2 / 3, 4)
    assert result["accuracy_counting_fallback_as_error"] == 0.5 <= result["accuracy"]


def test_prediction_ignores_the_fallback_label():
    parse = {
        "intent": {"name": "nlu_fallback", "confidence": 0.4},
        "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.4}, {"name": "info_prime", "confidence": 0.3}],
    }
    assert prediction_from_parse(parse) == Prediction("info_prime", 0.3, True)


def test_missing_and_malformed_files_are_usage_errors(tmp_path):
    with pytest.raises(EvaluationError):
        load_examples(tmp_path / "no-existe.yml")
    bad = tmp_path / "malo.yml"
    bad.write_text("nlu:\n- intent: saludo\n  examples: [\n", encoding="utf-8")
    with pytest.raises(EvaluationError):
        load_examples(bad)
    empty = tmp_path / "vacio.yml"
    empty.write_text('version: "3.1"\nnlu: []\n', encoding="utf-8")
    with pytest.raises(EvaluationError):
        load_examples(empty)


def run_eval(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "protheus.trainer", "evaluar", *args],
        cwd=PROJECT.root,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_exit_code_2_for_a_missing_file(tmp_path):
    result = run_eval(str(tmp_path / "no-existe.yml"))
    assert result.returncode == 2
    assert "No existe el archivo" in result.stderr and "Traceback" not in result.stderr


def test_cli_prints_json_last_line_and_reports_unknown_intents(tmp_path):
    data = tmp_path / "externo.yml"
    data.write_text(
        'version: "3.1"\nnlu:\n- intent: info_prime\n  examples: |\n    - ¿qué incluye el soporte prime?\n'
        "- intent: intencion_inventada\n  examples: |\n    - esto no es una intención del bot\n",
        encoding="utf-8",
    )
    result = run_eval(str(data))
    assert result.returncode == 0, result.stderr
    last = json.loads(result.stdout.strip().splitlines()[-1])
    assert {"macro_f1", "accuracy", "n", "per_intent", "top_confusions"} <= set(last)
    assert last["n"] == 2 and last["unknown_intents"] == {"intencion_inventada": 1}
    assert last["per_intent"]["info_prime"]["recall"] == 1.0
