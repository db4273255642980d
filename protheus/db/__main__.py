"""Database commands: `python -m protheus.db migrar | importar-clientes ARCHIVO | quitar-demo` (in
Spanish, as the trainer's and the console's; the English names of earlier releases still work)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from protheus.db import prepare
from protheus.db.customers import CustomerStore
from protheus.db.customers_csv import import_customers
from protheus.db.database import Database


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m protheus.db", description="Base de datos del asistente.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "migrar", aliases=["migrate"], help="crear o actualizar las tablas (y los clientes demo si DEMO_DATA)"
    )
    load = sub.add_parser("importar-clientes", aliases=["import-customers"], help="importar clientes desde un CSV")
    load.add_argument("file", type=Path, metavar="ARCHIVO")
    sub.add_parser("quitar-demo", aliases=["remove-demo"], help="borrar para siempre los clientes demo PRIME01 y STD01")
    args = parser.parse_args(argv)

    db = Database()
    if args.command in ("quitar-demo", "remove-demo"):
        prepare(db, demo=False)
        removed = CustomerStore(db).remove_demo_customers(getpass.getuser())
        print(f"Clientes demo borrados: {removed}. No se volverán a cargar en esta base.")
        return 0
    added = prepare(db)
    if args.command in ("migrar", "migrate"):
        print(f"Base de datos al día ({db.display_url()}); clientes demo añadidos: {added}")
        return 0
    report = import_customers(args.file, db)
    print(f"Clientes importados: {report.imported}")
    for error in report.errors:
        print(f"  ERROR {error}", file=sys.stderr)
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
