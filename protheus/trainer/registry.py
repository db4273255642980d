"""The model registry: every trained model with its metadata, and the one record of which
model is active (`model_registry.active`), which every entry point serves and evaluates.
Activating (or rolling back) only changes that record: the web app serves the active model
(protheus/webapp/app.py, /modelos/activo, with its name as ETag) and every Rasa replica pulls it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update

from protheus.common.paths import PROJECT, Project
from protheus.common.settings import model_f1_tolerance
from protheus.db.database import Database
from protheus.db.models import ModelRecord


class ActivationRefused(Exception):
    """The trainer must confirm, or cannot activate this model (message in Spanish)."""


@dataclass(frozen=True)
class ModelInfo:
    name: str
    data_hash: str
    created_at: float
    created_by: str
    metrics: dict
    comparison: dict
    active: bool
    activated_at: float | None
    activated_by: str | None
    previous_name: str | None

    @property
    def macro_f1(self) -> float | None:
        return self.metrics.get("macro_f1")


def _info(row: ModelRecord) -> ModelInfo:
    return ModelInfo(
        row.name,
        row.data_hash,
        row.created_at,
        row.created_by,
        dict(row.metrics or {}),
        dict(row.comparison or {}),
        bool(row.active),
        row.activated_at,
        row.activated_by,
        row.previous_name,
    )


class ModelRegistry:
    def __init__(self, db: Database, project: Project = PROJECT) -> None:
        self.db = db
        self.project = project

    def register(self, name: str, data_hash: str, by: str, metrics: dict, comparison: dict) -> ModelInfo:
        with self.db.session() as session:
            row = session.get(ModelRecord, name) or ModelRecord(name=name, active=False)
            row.data_hash, row.created_by, row.metrics, row.comparison = data_hash, by, metrics, comparison
            row.created_at = row.created_at or time.time()
            session.add(row)
            session.flush()
            return _info(row)

    def models(self) -> list[ModelInfo]:
        with self.db.session() as session:
            return [
                _info(r) for r in session.execute(select(ModelRecord).order_by(ModelRecord.created_at.desc())).scalars()
            ]

    def get(self, name: str) -> ModelInfo | None:
        with self.db.session() as session:
            row = session.get(ModelRecord, name)
            return _info(row) if row else None

    def active(self) -> ModelInfo | None:
        with self.db.session() as session:
            row = session.execute(select(ModelRecord).where(ModelRecord.active.is_(True))).scalars().first()
            return _info(row) if row else None

    def active_path(self) -> Path | None:
        """The file of the active model, if there is one and it is on disk."""
        active = self.active()
        path = self.project.models / active.name if active else None
        return path if path is not None and path.is_file() else None

    def _mark_active(self, name: str, by: str, previous: str | None) -> None:
        with self.db.session() as session:
            session.execute(update(ModelRecord).values(active=False))
            row = session.get(ModelRecord, name)
            row.active, row.activated_at, row.activated_by = True, time.time(), by
            if previous and previous != name:
                row.previous_name = previous

    def activate(self, name: str, by: str, confirm: bool = False, tolerance: float | None = None) -> ModelInfo:
        """Record the model as active: every Rasa replica pulls it from the web app's model
        server within MODEL_PULL_SECONDS (conversations are in the tracker store and go on).
        Refused when macro-F1 drops by more than `tolerance` unless confirmed."""
        tolerance = model_f1_tolerance() if tolerance is None else tolerance
        new = self.get(name)
        path = self.project.models / name
        if new is None or not path.is_file():
            raise ActivationRefused(f"No existe el modelo {name}.")
        current = self.active()
        if current and current.name == name:
            raise ActivationRefused("Ese modelo ya está activo.")
        if current and current.macro_f1 is not None and new.macro_f1 is not None and not confirm:
            drop = current.macro_f1 - new.macro_f1
            if drop > tolerance:
                raise ActivationRefused(
                    f"El modelo nuevo tiene macro-F1 {new.macro_f1:.3f}, {drop:.3f} menos que el activo "
                    f"({current.macro_f1:.3f}); la tolerancia es {tolerance:.3f}. Confirme para activarlo igualmente."
                )
        self._mark_active(name, by, current.name if current else None)
        return self._existing(name)

    def rollback(self, by: str) -> ModelInfo:
        current = self.active()
        if current is None or not current.previous_name:
            raise ActivationRefused("No hay un modelo anterior al que volver.")
        previous = current.previous_name
        older = self._existing(previous).previous_name
        self.activate(previous, by, confirm=True)
        with self.db.session() as session:  # going back keeps the restored model's own predecessor
            session.get(ModelRecord, previous).previous_name = older
        return self._existing(previous)

    def _existing(self, name: str) -> ModelInfo:
        found = self.get(name)
        if found is None:
            raise ActivationRefused(f"No existe el modelo {name}.")
        return found
