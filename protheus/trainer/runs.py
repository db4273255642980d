"""A training run: train (unless the model of this data exists), evaluate the model on the
fixed test split next to the active one, and register it (activation is a separate step).
Runs are rows of `training_runs`, so the console shows their progress while they go on."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from typing import Any

from sqlalchemy import select, update

from protheus.common.paths import PROJECT, Project
from protheus.common.vocabulary import ACTIVE_RUN_STATUSES, RunStatus
from protheus.db.database import Database
from protheus.db.models import TrainingRun
from protheus.trainer.evaluation import evaluate_against_active
from protheus.trainer.rasa_train import data_hash, expected_steps, model_name, train
from protheus.trainer.registry import ModelRegistry

logger = logging.getLogger(__name__)
STALE_AFTER = 3600  # seconds; a full training takes about a minute here


class TrainingRuns:
    def __init__(self, db: Database, project: Project = PROJECT, echo: bool = False) -> None:
        self.db = db
        self.project = project
        self.echo = echo  # also print the progress (the terminal)
        self.registry = ModelRegistry(db, project)

    def create(self, by: str) -> int:
        with self.db.session() as session:
            run = TrainingRun(
                requested_by=by, status=RunStatus.QUEUED.value, progress=0, message="En cola", started_at=time.time()
            )
            session.add(run)
            session.flush()
            return run.id

    def update(self, run_id: int, **values: Any) -> None:
        if "status" in values:
            values["status"] = RunStatus(values["status"]).value
        if self.echo and "message" in values:
            print(f"[{values.get('progress', '…'):>3}%] {values['message']}", flush=True)
        with self.db.session() as session:
            session.execute(update(TrainingRun).where(TrainingRun.id == run_id).values(**values))

    def get(self, run_id: int) -> TrainingRun | None:
        with self.db.session() as session:
            return session.get(TrainingRun, run_id)

    def recent(self, limit: int = 10) -> list[TrainingRun]:
        with self.db.session() as session:
            return list(session.execute(select(TrainingRun).order_by(TrainingRun.id.desc()).limit(limit)).scalars())

    def running(self, now: float | None = None) -> TrainingRun | None:
        """The run in progress; one older than STALE_AFTER died with its process and is closed."""
        now = time.time() if now is None else now
        for run in self.recent(5):
            if run.status not in ACTIVE_RUN_STATUSES:
                continue
            if now - run.started_at > STALE_AFTER:
                self.update(
                    run.id, status=RunStatus.FAILED, finished_at=now, message="Interrumpido: el proceso no terminó."
                )
                continue
            return run
        return None

    def start_in_background(self, by: str) -> int:
        """A separate process, so training neither blocks nor dies with a web request."""
        run_id = self.create(by)
        log = self.project.logs / f"entrenamiento-{run_id}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "DATABASE_URL": self.db.url}
        command = [
            sys.executable,
            "-m",
            "protheus.trainer",
            "--proyecto",
            str(self.project.root),
            "ejecutar",
            str(run_id),
        ]
        subprocess.Popen(
            command,
            cwd=self.project.root,
            stdout=log.open("w", encoding="utf-8"),
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        return run_id

    def execute(self, run_id: int) -> str | None:
        """Train, evaluate and register; returns the model's file name (None on failure)."""
        run = self.get(run_id)
        if run is None:
            return None
        try:
            name = self._train(run_id)
            self.update(
                run_id, status=RunStatus.EVALUATING, progress=85, message="Evaluando con el conjunto de prueba fijo..."
            )
            metrics, comparison = evaluate_against_active(self.project, name, self.registry.active_path())
            self.registry.register(name, data_hash(self.project), run.requested_by, metrics, comparison)
            self.update(
                run_id,
                status=RunStatus.FINISHED,
                progress=100,
                finished_at=time.time(),
                model_name=name,
                message=f"Listo: macro-F1 {metrics['macro_f1']:.3f}",
            )
            return name
        except Exception as error:  # noqa: BLE001 - the trainer sees the reason in the console
            logger.exception("Training run %s failed", run_id)
            self.update(run_id, status=RunStatus.FAILED, finished_at=time.time(), message=f"Falló: {error}")
            return None

    def _train(self, run_id: int) -> str:
        name = model_name(self.project)
        if (self.project.models / name).exists():
            self.update(
                run_id, status=RunStatus.TRAINING, progress=80, message="Ya existía un modelo para estos datos."
            )
            return name
        self.update(run_id, status=RunStatus.TRAINING, progress=5, message="Entrenando...")
        steps = expected_steps(self.project)

        def progress(done: int, component: str) -> None:
            self.update(
                run_id,
                progress=min(80, 5 + 75 * done // steps),
                message=f"Entrenando: {component} listo ({done} de ~{steps})",
            )

        train(self.project, name, progress)
        return name
