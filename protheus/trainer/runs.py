"""A training run: train in the background with visible progress, evaluate the new model
on the fixed test split next to the active one, and register it (not activate it)."""
from __future__ import annotations

import asyncio
import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

from sqlalchemy import select, update

from protheus.db.models import TrainingRun
from protheus.db.database import Database
from protheus.paths import Project
from protheus.trainer.registry import ModelRegistry
from protheus.training import fingerprint, marked_model, training_inputs
from protheus.vocabulary import ACTIVE_RUN_STATUSES, RunStatus

logger = logging.getLogger(__name__)
COMPONENT_DONE = re.compile(r"Finished training component '([^']+)'")
CHANGED_EXAMPLES = 40
STALE_AFTER = 3600  # seconds; a full training takes about a minute here


# --- what a model is trained from ------------------------------------------------------
def data_hash(project: Project) -> str:
    """The hash that names the model of this project's data (as `make run` names it)."""
    return fingerprint(training_inputs(project.config, project.data, project.domain), project.root)


def expected_steps(project: Project) -> int:
    import yaml

    config = yaml.safe_load(project.config.read_text(encoding="utf-8"))
    return len(config.get("pipeline") or []) + len(config.get("policies") or []) + 2


# --- runs ---------------------------------------------------------------------------------
class TrainingRuns:
    def __init__(self, db: Database, project: Project = Project(), echo: bool = False) -> None:
        self.db = db
        self.project = project
        self.echo = echo  # also print the progress (the terminal)

    def create(self, by: str) -> int:
        with self.db.session() as session:
            run = TrainingRun(requested_by=by, status=RunStatus.QUEUED.value, progress=0, message="En cola", started_at=time.time())
            session.add(run)
            session.flush()
            return run.id

    def update(self, run_id: int, **values) -> None:
        if self.echo and "message" in values:
            print(f"[{values.get('progress', '…'):>3}%] {values['message']}", flush=True)
        with self.db.session() as session:
            session.execute(update(TrainingRun).where(TrainingRun.id == run_id).values(**values))

    def get(self, run_id: int) -> Optional[TrainingRun]:
        with self.db.session() as session:
            return session.get(TrainingRun, run_id)

    def recent(self, limit: int = 10) -> list[TrainingRun]:
        with self.db.session() as session:
            return list(session.execute(select(TrainingRun).order_by(TrainingRun.id.desc()).limit(limit)).scalars())

    def running(self, now: Optional[float] = None) -> Optional[TrainingRun]:
        """The run in progress; one older than STALE_AFTER died with its process and is closed."""
        now = time.time() if now is None else now
        for run in self.recent(5):
            if run.status not in ACTIVE_RUN_STATUSES:
                continue
            if now - run.started_at > STALE_AFTER:
                self.update(run.id, status=RunStatus.FAILED.value, finished_at=now, message="Interrumpido: el proceso no terminó.")
                continue
            return run
        return None

    def start_in_background(self, by: str) -> int:
        """A separate process, so training neither blocks nor dies with a web request."""
        run_id = self.create(by)
        log = self.project.logs / f"entrenamiento-{run_id}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "DATABASE_URL": self.db.url}
        subprocess.Popen([sys.executable, "-m", "protheus.trainer", "ejecutar", str(run_id), "--proyecto", str(self.project.root)],
                         cwd=self.project.root, stdout=log.open("w", encoding="utf-8"), stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        return run_id

    def execute(self, run_id: int) -> Optional[str]:
        """Train, evaluate and register; returns the model's file name (None on failure)."""
        run = self.get(run_id)
        try:
            name = self._train(run_id)
            self.update(run_id, status=RunStatus.EVALUATING.value, progress=85, message="Evaluando con el conjunto de prueba fijo...")
            metrics, comparison = evaluate_against_active(self.project, name, ModelRegistry(self.db, self.project))
            ModelRegistry(self.db, self.project).register(name, data_hash(self.project), run.requested_by, metrics, comparison)
            self.update(run_id, status=RunStatus.FINISHED.value, progress=100, finished_at=time.time(), model_name=name,
                        message=f"Listo: macro-F1 {metrics['macro_f1']:.3f}")
            return name
        except Exception as error:  # noqa: BLE001 - the trainer sees the reason in the console
            logger.exception("Training run %s failed", run_id)
            self.update(run_id, status=RunStatus.FAILED.value, finished_at=time.time(), message=f"Falló: {error}")
            return None

    def _train(self, run_id: int) -> str:
        name = f"protheus-{data_hash(self.project)}.tar.gz"
        target = self.project.models / name
        if target.exists():
            self.update(run_id, status=RunStatus.TRAINING.value, progress=80, message="Ya existía un modelo para estos datos.")
            return name
        self.update(run_id, status=RunStatus.TRAINING.value, progress=5, message="Entrenando...")
        command = [str(Path(sys.executable).with_name("rasa")), "train", "--config", str(self.project.config),
                   "--domain", str(self.project.domain), "--data", str(self.project.data),
                   "--out", str(self.project.models), "--fixed-model-name", name.removesuffix(".tar.gz")]
        steps, done, tail = expected_steps(self.project), 0, []
        process = subprocess.Popen(command, cwd=self.project.root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, encoding="utf-8", errors="replace")
        for line in process.stdout:
            tail = (tail + [line.rstrip()])[-15:]
            found = COMPONENT_DONE.search(line)
            if found:
                done += 1
                self.update(run_id, progress=min(80, 5 + 75 * done // steps),
                            message=f"Entrenando: {found.group(1)} listo ({done} de ~{steps})")
        if process.wait() != 0 or not target.exists():
            raise RuntimeError("rasa train terminó con error: " + " | ".join(tail[-3:]))
        return name


# --- evaluation -------------------------------------------------------------------------
def evaluate_against_active(project: Project, name: str, registry: ModelRegistry) -> tuple[dict, dict]:
    """The new model's metrics, and how it compares with the active one on the test split."""
    from protheus.evaluate import load_examples, metrics, predict

    examples = load_examples(project.test_split)
    texts = [e.text for e in examples]
    new_predictions, known, _ = asyncio.run(predict(project.models / name, texts))
    new_metrics = metrics(examples, new_predictions, known)
    active = registry.active()
    active_path = project.models / active.name if active else marked_model(project.models)
    comparison: dict = {"activo": None}
    if active_path and active_path.is_file() and active_path.name != name:
        old_predictions, old_known, _ = asyncio.run(predict(active_path, texts))
        old_metrics = metrics(examples, old_predictions, old_known)
        comparison = {
            "activo": active_path.name,
            "macro_f1_activo": old_metrics["macro_f1"],
            "por_intencion": {
                intent: {"antes": old_metrics["per_intent"].get(intent, {}).get("f1"), "despues": values["f1"]}
                for intent, values in new_metrics["per_intent"].items()
                if old_metrics["per_intent"].get(intent, {}).get("f1") != values["f1"]
            },
            "cambios": [
                {"texto": e.text, "esperada": e.intent, "antes": o.intent, "despues": n.intent}
                for e, o, n in zip(examples, old_predictions, new_predictions) if o.intent != n.intent
            ][:CHANGED_EXAMPLES],
        }
    comparison["matriz"] = confusion_image(project, name, [e.intent for e in examples], [p.intent for p in new_predictions])
    return new_metrics, comparison


def confusion_image(project: Project, name: str, truth: list[str], guess: list[str]) -> str:
    """A PNG of the confusion matrix; returns its file name under .state/evaluaciones."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from sklearn.metrics import confusion_matrix

    labels = sorted(set(truth) | set(guess))
    matrix = confusion_matrix(truth, guess, labels=labels)
    figure, axes = plt.subplots(figsize=(12, 11), dpi=80)
    axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    axes.set_yticks(range(len(labels)), labels, fontsize=7)
    axes.set_xlabel("predicha")
    axes.set_ylabel("esperada")
    axes.set_title(f"Matriz de confusión · {name}")
    for (row, column), value in np.ndenumerate(matrix):
        if value:
            axes.text(column, row, str(value), ha="center", va="center", fontsize=6,
                      color="white" if value > matrix.max() / 2 else "black")
    figure.tight_layout()
    project.evaluations.mkdir(parents=True, exist_ok=True)
    file_name = name.removesuffix(".tar.gz") + "-confusion.png"
    figure.savefig(project.evaluations / file_name)
    plt.close(figure)
    return file_name
