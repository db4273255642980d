"""The trainers' workflow from the terminal (the console has the same):

    python -m protheus.trainer bandeja                      mensajes por revisar
    python -m protheus.trainer etiquetar 12 15 [--intencion X]   (sin --intencion: la predicha)
    python -m protheus.trainer descartar 13
    python -m protheus.trainer entrenar [--activar]         (make train)
    python -m protheus.trainer modelos | activar NOMBRE [--confirmar] | revertir
"""
from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from pathlib import Path

from protheus.db.accounts import AccountStore
from protheus.db import prepare
from protheus.db.database import Database
from protheus.rasa_client import RasaClient
from protheus.settings import local_rasa_url, rasa_token
from protheus.trainer.inbox import Inbox
from protheus.trainer.nlu_files import TrainingFiles
from protheus.paths import Project
from protheus.trainer.registry import ActivationRefused, ModelRegistry
from protheus.trainer.runs import TrainingRuns


def who() -> str:
    return f"terminal:{getpass.getuser()}"


def running_rasa() -> RasaClient | None:
    """The Rasa of `make run`, if it is up: activation then hot-swaps the model into it."""
    client = RasaClient(local_rasa_url(), rasa_token())
    return client if asyncio.run(client.status()) else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m protheus.trainer", description="Flujo de los entrenadores.")
    parser.add_argument("--proyecto", type=Path, default=Project().root, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)
    inbox_cmd = sub.add_parser("bandeja", help="mensajes de clientes por revisar")
    inbox_cmd.add_argument("--limite", type=int, default=50)
    label = sub.add_parser("etiquetar", help="escribir mensajes como ejemplos")
    label.add_argument("ids", type=int, nargs="+")
    label.add_argument("--intencion", default=None)
    discard = sub.add_parser("descartar", help="descartar mensajes")
    discard.add_argument("ids", type=int, nargs="+")
    train = sub.add_parser("entrenar", help="entrenar, evaluar y registrar un modelo")
    train.add_argument("--activar", action="store_true", help="activarlo si no empeora el macro-F1")
    execute = sub.add_parser("ejecutar", help=argparse.SUPPRESS)
    execute.add_argument("run_id", type=int)
    execute.add_argument("--proyecto", dest="proyecto_run", type=Path, default=None)
    sub.add_parser("modelos", help="modelos registrados")
    activate = sub.add_parser("activar", help="activar un modelo")
    activate.add_argument("nombre")
    activate.add_argument("--confirmar", action="store_true")
    sub.add_parser("revertir", help="volver al modelo anterior")
    args = parser.parse_args(argv)
    if args.command in ("entrenar", "ejecutar"):
        from protheus.evaluate import _quiet_logs

        _quiet_logs()  # Rasa would print every parse of the evaluation

    project = Project(getattr(args, "proyecto_run", None) or args.proyecto)
    db = Database()
    prepare(db)
    accounts = AccountStore(db)
    registry = ModelRegistry(db, project)
    try:
        if args.command == "bandeja":
            for item in Inbox(db, TrainingFiles(project)).items(args.limite):
                marks = ("marcado " if item.flagged else "") + ("aclaración " if item.fallback else "")
                confidence = f"{item.confidence:.2f}" if item.confidence is not None else "—"
                print(f"{item.event_id:>7}  {confidence}  {item.intent or '—':28} {marks:20} {item.text}")
        elif args.command == "etiquetar":
            report = Inbox(db, TrainingFiles(project)).label(args.ids, args.intencion, who())
            accounts.audit(who(), "etiquetar", eventos=args.ids, intencion=args.intencion, escritos=report.written)
            print(f"Escritos: {len(report.written)}; repetidos: {report.duplicates}; no encontrados: {report.missing}")
        elif args.command == "descartar":
            count = Inbox(db, TrainingFiles(project)).discard(args.ids, who())
            accounts.audit(who(), "descartar", eventos=args.ids)
            print(f"Descartados: {count}")
        elif args.command in ("entrenar", "ejecutar"):
            runs = TrainingRuns(db, project, echo=True)
            run_id = args.run_id if args.command == "ejecutar" else runs.create(who())
            name = runs.execute(run_id)
            run = runs.get(run_id)
            print(run.message)
            if name is None:
                return 1
            if args.command == "entrenar":
                accounts.audit(who(), "entrenar", modelo=name)
                active = registry.active()
                if args.activar and (active is None or active.name != name):
                    try:
                        asyncio.run(registry.activate(name, who(), running_rasa()))
                    except ActivationRefused as error:
                        print(f"No se activó: {error}\nPara activarlo igualmente: "
                              f"python -m protheus.trainer activar {name} --confirmar", file=sys.stderr)
                        return 2
                    accounts.audit(who(), "activar_modelo", modelo=name)
                if args.activar:
                    print(f"Modelo activo: {registry.active().name}")
        elif args.command == "modelos":
            for model in registry.models():
                f1 = f"{model.macro_f1:.3f}" if model.macro_f1 is not None else "—"
                print(f"{'*' if model.active else ' '} {model.name}  macro-F1 {f1}  por {model.created_by}")
        elif args.command == "activar":
            asyncio.run(registry.activate(args.nombre, who(), running_rasa(), confirm=args.confirmar))
            accounts.audit(who(), "activar_modelo", modelo=args.nombre)
            print(f"Modelo activo: {args.nombre}")
        elif args.command == "revertir":
            model = asyncio.run(registry.rollback(who(), running_rasa()))
            accounts.audit(who(), "revertir_modelo", modelo=model.name)
            print(f"Modelo activo otra vez: {model.name}")
    except (ActivationRefused, KeyError) as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
