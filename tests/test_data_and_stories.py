"""`rasa data validate` is clean and the test stories pass with the active model."""

import os
import subprocess
import sys
from pathlib import Path

from protheus.common.paths import PROJECT
from tests.server_fixture import served_model

RASA = str(Path(sys.executable).with_name("rasa"))


def run_rasa(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [RASA, *args],
        cwd=PROJECT.root,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"},
    )


def test_rasa_data_validate_has_no_warnings():
    result = run_rasa("data", "validate", "--domain", "domain", "--data", "data", "--config", "config.yml")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # Rasa reports data problems as UserWarning or WARNING log lines; library
    # deprecation notices (SQLAlchemy, TensorFlow) are not about our data.
    warnings = [line for line in output.splitlines() if "UserWarning" in line or " WARNING " in line]
    assert not warnings, "\n".join(warnings)


def test_stories_for_every_intent_pass(tmp_path):
    model = served_model()
    result = run_rasa(
        "test",
        "core",
        "--model",
        str(model),
        "--stories",
        "tests/stories",
        "--out",
        str(tmp_path),
        "--fail-on-prediction-errors",
        "--no-plot",
    )
    output = result.stdout + result.stderr
    failed = tmp_path / "failed_test_stories.yml"
    detail = failed.read_text(encoding="utf-8") if failed.exists() else output[-3000:]
    assert result.returncode == 0, detail
