"""The trainers' workflow from the terminal (the console has the same):

python -m protheus.trainer bandeja                      mensajes por revisar (make bandeja)
python -m protheus.trainer etiquetar 12 15 [--intencion X]   (sin --intencion: la predicha)
python -m protheus.trainer descartar 13
python -m protheus.trainer entrenar [--activar]         (make train)
python -m protheus.trainer modelos | activar NOMBRE [--confirmar] | revertir
python -m protheus.trainer preparar [--siempre]         (make run, make test, make bench)
python -m protheus.trainer evaluar ARCHIVO [--modelo M] (make eval)
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path

from protheus.common.paths import PROJECT, Project
from protheus.common.text import mask_contacts
from protheus.db import prepare
from protheus.db.accounts import AccountStore
from protheus.db.database import Database
from protheus.trainer.answer_evaluation import evaluate_answers
from protheus.trainer.answer_evaluation import summary as answers_summary
from protheus.trainer.evaluation import EvaluationError, evaluate_examples, load_examples, quiet_logs, summary
from protheus.trainer.inbox import Inbox
from protheus.trainer.lifecycle import LifecycleError, ModelLifecycle
from protheus.trainer.nlu_files import TrainingFiles
from protheus.trainer.registry import ActivationRefused, ModelRegistry

USAGE_ERROR = 2


def who() -> str:
    return f"terminal:{getpass.getuser()}"


def database() -> Database:
    db = Database()
    prepare(db)
    return db


# --- one function per command ------------------------------------------------------------
def show_inbox(args: argparse.Namespace, project: Project) -> int:
    for item in Inbox(database(), TrainingFiles(project)).items(args.limite):
        marks = ("marcado " if item.flagged else "") + ("aclaración " if item.fallback else "")
        confidence = f"{item.confidence:.2f}" if item.confidence is not None else "—"
        # As in the console's inbox: labelling never needs the contact data.
        print(f"{item.event_id:>7}  {confidence}  {item.intent or '—':28} {marks:20} {mask_contacts(item.text)}")
    return 0


def label(args: argparse.Namespace, project: Project) -> int:
    db = database()
    report = Inbox(db, TrainingFiles(project)).label(args.ids, args.intencion, who())
    AccountStore(db).audit(who(), "etiquetar", eventos=args.ids, intencion=args.intencion, escritos=report.written)
    print(f"Escritos: {len(report.written)}; repetidos: {report.duplicates}; no encontrados: {report.missing}")
    return 0


def discard(args: argparse.Namespace, project: Project) -> int:
    db = database()
    count = Inbox(db, TrainingFiles(project)).discard(args.ids, who())
    AccountStore(db).audit(who(), "descartar", eventos=args.ids)
    print(f"Descartados: {count}")
    return 0


def train(args: argparse.Namespace, project: Project) -> int:
    quiet_logs()
    db = database()
    lifecycle = ModelLifecycle(db, project, echo=True)
    name = lifecycle.build(who())
    AccountStore(db).audit(who(), "entrenar", modelo=name)
    if not args.activar:
        return 0
    active = lifecycle.registry.active()
    if active is None or active.name != name:
        try:
            lifecycle.registry.activate(name, who())
        except ActivationRefused as error:
            print(
                f"No se activó: {error}\nPara activarlo igualmente: "
                f"python -m protheus.trainer activar {name} --confirmar",
                file=sys.stderr,
            )
            return USAGE_ERROR
        AccountStore(db).audit(who(), "activar_modelo", modelo=name)
    print(f"Modelo activo: {name}")
    return 0


def execute_run(args: argparse.Namespace, project: Project) -> int:
    """A run the console started in the background."""
    quiet_logs()
    runs = ModelLifecycle(database(), project, echo=True).runs
    name = runs.execute(args.run_id)
    return 0 if name else 1


def list_models(args: argparse.Namespace, project: Project) -> int:
    for model in ModelRegistry(database(), project).models():
        f1 = f"{model.macro_f1:.3f}" if model.macro_f1 is not None else "—"
        print(f"{'*' if model.active else ' '} {model.name}  macro-F1 {f1}  por {model.created_by}")
    return 0


def activate(args: argparse.Namespace, project: Project) -> int:
    db = database()
    ModelRegistry(db, project).activate(args.nombre, who(), confirm=args.confirmar)
    AccountStore(db).audit(who(), "activar_modelo", modelo=args.nombre)
    print(f"Modelo activo: {args.nombre}")
    return 0


def rollback(args: argparse.Namespace, project: Project) -> int:
    db = database()
    model = ModelRegistry(db, project).rollback(who())
    AccountStore(db).audit(who(), "revertir_modelo", modelo=model.name)
    print(f"Modelo activo otra vez: {model.name}")
    return 0


def print_active_model(args: argparse.Namespace, project: Project) -> int:
    """The active model's file, for a container that starts Rasa with it (deploy/)."""
    model = ModelLifecycle(database(), project).active_model()
    if model is None:
        print("ERROR: no hay un modelo activo: ejecute `python -m protheus.trainer preparar`.", file=sys.stderr)
        return USAGE_ERROR
    print(model)
    return 0


def prepare_model(args: argparse.Namespace, project: Project) -> int:
    quiet_logs()
    ModelLifecycle(database(), project, echo=True).prepare(f"make ({who()})", always_activate=args.siempre)
    return 0


def evaluate(args: argparse.Namespace, project: Project) -> int:
    """make eval: a summary for people, then the metrics as one JSON line (the last one)."""
    quiet_logs()
    examples = load_examples(args.datos)
    model = args.modelo or ModelLifecycle(database(), project).active_model()
    if model is None:
        raise EvaluationError("No hay un modelo entrenado: ejecute `make train` primero.")
    result = evaluate_examples(examples, model)
    print(summary(result, model, args.datos), flush=True)
    if args.respuestas is not None:  # the answers to the forms' questions, read against the old reading
        answers = evaluate_answers(model, [args.respuestas])
        print(answers_summary(answers, str(args.respuestas)), flush=True)
        result["lectura_respuestas"] = {
            name: {k: v for k, v in figures.items() if k != "errores"} for name, figures in answers.items()
        }
    print(json.dumps(result, ensure_ascii=False))
    return 0


Command = Callable[[argparse.Namespace, Project], int]


def _answers_path(value: str) -> Path | None:
    return None if value.strip().lower() == "no" else Path(value)


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(prog="python -m protheus.trainer", description="Flujo de los entrenadores.")
    main_parser.add_argument("--proyecto", type=Path, default=PROJECT.root, help=argparse.SUPPRESS)
    sub = main_parser.add_subparsers(dest="command", required=True)
    listed: list[str] = []

    def command(name: str, function: Command, help: str | None) -> argparse.ArgumentParser:
        """A command; without `help`, left out of --help (argparse shows help=SUPPRESS as text)."""
        found = sub.add_parser(name, help=help) if help else sub.add_parser(name)
        found.set_defaults(function=function)
        listed.extend([name] if help else [])
        return found

    command("bandeja", show_inbox, help="mensajes de clientes por revisar").add_argument(
        "--limite", type=int, default=50
    )
    labelling = command("etiquetar", label, help="escribir mensajes como ejemplos")
    labelling.add_argument("ids", type=int, nargs="+")
    labelling.add_argument("--intencion", default=None)
    command("descartar", discard, help="descartar mensajes").add_argument("ids", type=int, nargs="+")
    command("entrenar", train, help="entrenar, evaluar y registrar un modelo").add_argument(
        "--activar", action="store_true", help="activarlo si no empeora el macro-F1"
    )
    command("ejecutar", execute_run, help=None).add_argument("run_id", type=int)  # the console's runs
    command("modelos", list_models, help="modelos registrados")
    activation = command("activar", activate, help="activar un modelo")
    activation.add_argument("nombre")
    activation.add_argument("--confirmar", action="store_true")
    command("revertir", rollback, help="volver al modelo anterior")
    command("modelo-activo", print_active_model, help="la ruta del modelo activo")
    command("preparar", prepare_model, help="entrenar si los datos cambiaron y dejar un modelo activo").add_argument(
        "--siempre", action="store_true", help="activar el modelo de los datos actuales aunque empeore (make test)"
    )
    evaluation = command("evaluar", evaluate, help="evaluar un modelo con un archivo NLU de Rasa (make eval)")
    evaluation.add_argument("datos", type=Path, help="archivo YAML de NLU (o carpeta) con ejemplos etiquetados")
    evaluation.add_argument("--modelo", type=Path, default=None, help="modelo .tar.gz (por defecto el activo)")
    evaluation.add_argument(
        "--respuestas",
        type=_answers_path,
        default=PROJECT.heldout_answers,
        help="respuestas etiquetadas a los formularios (por defecto el conjunto reservado; «no» para omitirlas)",
    )
    sub.metavar = "{" + ",".join(listed) + "}"  # the usage line names the listed commands only
    return main_parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.function(args, Project(args.proyecto)))
    except (ActivationRefused, EvaluationError, LifecycleError, KeyError) as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return USAGE_ERROR


if __name__ == "__main__":
    sys.exit(main())
