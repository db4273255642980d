"""Training with `rasa train`: what a model is trained from, the name it gets, the command.

A model is named after the hash of everything it is trained from, so any entry point can
tell whether the data, domain, config or our NLU components changed without asking Rasa
to load anything.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path

import yaml

from protheus.common.paths import NLU_CODE_FILES, SOURCE_ROOT, Project, rasa_executable

MODEL_PREFIX = "protheus-"
MODEL_SUFFIX = ".tar.gz"
COMPONENT_DONE = re.compile(r"Finished training component '([^']+)'")
TAIL_LINES = 15

Progress = Callable[[int, str], None]  # (components done, name of the last one)


class TrainingFailed(RuntimeError):
    """`rasa train` failed; the message ends with its last lines."""


def training_inputs(project: Project) -> list[Path]:
    """Every file whose content determines the trained model, our NLU components included."""
    files = [project.config, *NLU_CODE_FILES]
    for folder in (project.data, project.domain):
        files += sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".yml", ".yaml"))
    return files


def fingerprint(files: Iterable[Path], root: Path) -> str:
    """A short hash of the files' paths (relative to the project, or else to the code) and contents."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(root if path.is_relative_to(root) else SOURCE_ROOT)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def data_hash(project: Project) -> str:
    return fingerprint(training_inputs(project), project.root)


def model_name(project: Project) -> str:
    """The file name in models/ of the model of the project's current data."""
    return f"{MODEL_PREFIX}{data_hash(project)}{MODEL_SUFFIX}"


def expected_steps(project: Project) -> int:
    """Roughly how many "Finished training component" lines a training prints."""
    config = yaml.safe_load(project.config.read_text(encoding="utf-8")) or {}
    return len(config.get("pipeline") or []) + len(config.get("policies") or []) + 2


def train_command(project: Project, name: str) -> list[str]:
    return [
        rasa_executable(),
        "train",
        "--config",
        str(project.config),
        "--domain",
        str(project.domain),
        "--data",
        str(project.data),
        "--out",
        str(project.models),
        "--fixed-model-name",
        name.removesuffix(MODEL_SUFFIX),
    ]


def train(project: Project, name: str, progress: Progress) -> Path:
    """Train the model `name` into project.models, reporting each finished component."""
    target = project.models / name
    process = subprocess.Popen(
        train_command(project, name),
        cwd=project.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    done, tail = 0, list[str]()
    assert process.stdout is not None
    for line in process.stdout:
        tail = (tail + [line.rstrip()])[-TAIL_LINES:]
        found = COMPONENT_DONE.search(line)
        if found:
            done += 1
            progress(done, found.group(1))
    if process.wait() != 0 or not target.exists():
        raise TrainingFailed("rasa train terminó con error: " + " | ".join(tail[-3:]))
    return target
