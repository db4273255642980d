"""The model lifecycle every entry point goes through: train → evaluate → register → activate
→ roll back. `make run`, `make test` and `make bench` (`prepare`), `make train` and the
console (`build`, then the registry's activate and rollback), `make eval` and the tests
(`active_model`) all use these, and the registry is the one record of the active model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from protheus.common.paths import PROJECT, Project
from protheus.db.database import Database
from protheus.trainer.rasa_train import model_name
from protheus.trainer.registry import ActivationRefused, ModelRegistry
from protheus.trainer.runs import TrainingRuns


class LifecycleError(RuntimeError):
    """No model could be trained or served (Spanish message)."""


@dataclass(frozen=True)
class Prepared:
    """What `prepare` did: the model to serve, whether it trained one, and why the served
    model is not the current data's, if it is not."""

    active: Path
    trained: bool
    note: str = ""  # why the active model is not the current one


class ModelLifecycle:
    def __init__(self, db: Database, project: Project = PROJECT, echo: bool = False) -> None:
        self.project = project
        self.registry = ModelRegistry(db, project)
        self.runs = TrainingRuns(db, project, echo=echo)
        self.say: Callable[[str], None] = (lambda text: print(text, flush=True)) if echo else (lambda text: None)

    def active_model(self) -> Path | None:
        return self.registry.active_path()

    def build(self, by: str) -> str:
        """Train (if needed), evaluate and register the model of the current data; its name."""
        run_id = self.runs.create(by)
        name = self.runs.execute(run_id)
        if name is None:
            run = self.runs.get(run_id)
            raise LifecycleError(f"El entrenamiento falló. {run.message if run else ''}".strip())
        return name

    def prepare(self, by: str, always_activate: bool = False) -> Prepared:
        """The model to serve: the current data's model is built if it is not registered, and
        activated when it is new (unless macro-F1 drops beyond the tolerance) or when nothing is
        active; a model a trainer activated or rolled back to is otherwise kept. With
        always_activate (make test), the current data's model is served, whatever it scores."""
        name = model_name(self.project)
        trained = self.registry.get(name) is None or not (self.project.models / name).is_file()
        failed = ""
        if trained:
            self.say("Los datos cambiaron: entrenando, evaluando y registrando un modelo nuevo (unos minutos)...")
            try:
                self.build(by)
            except LifecycleError as error:
                if self.registry.active_path() is None:
                    raise
                failed = str(error)  # the active model keeps serving; the trainer is told why
        else:
            self.say(f"El modelo está al día con los datos: {name}")
        active = self.registry.active_path()
        note = ""
        if failed and active is not None:
            note = f"{failed} Sigue activo {active.name}, el modelo anterior: corrija los datos y vuelva a entrenar."
        elif active is None or (active.name != name and (trained or always_activate)):
            try:
                self.registry.activate(name, by, confirm=always_activate or active is None)
            except ActivationRefused as refusal:
                kept = active.name if active else "—"
                note = f"{refusal} Sigue activo {kept}: python -m protheus.trainer activar {name} --confirmar"
        elif active.name != name:
            note = (
                f"Sigue activo {active.name}, el que marca el registro (un entrenador lo eligió o no activó "
                f"el nuevo); el de los datos actuales es {name}: python -m protheus.trainer activar {name}"
            )
        served = self.registry.active_path()
        if served is None:
            raise LifecycleError("No hay un modelo activo: ejecute `make train`.")
        if note:
            self.say(f"AVISO: {note}")
        self.say(f"Modelo activo: {served.name}")
        return Prepared(served, trained, note)
