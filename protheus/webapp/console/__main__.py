"""Console accounts from the command line:

    python -m protheus.webapp.console crear-usuario NOMBRE --rol admin   (make admin USUARIO=NOMBRE)

The password is asked twice without echo, or read from the first line of standard
input when it is not a terminal. There is no default password anywhere.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from protheus.common.settings import ports
from protheus.common.vocabulary import Role
from protheus.db import prepare
from protheus.db.accounts import AccountError, AccountStore
from protheus.db.database import Database


def read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Contraseña (10 caracteres o más): ")
    if first != getpass.getpass("Repítala: "):
        raise AccountError("Las contraseñas no coinciden.")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m protheus.webapp.console", description="Usuarios de la consola.")
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("crear-usuario", help="crear un usuario (el primero, con --rol admin)")
    create.add_argument("usuario")
    create.add_argument("--rol", choices=[r.value for r in Role], default=Role.ADMIN.value)
    sub.add_parser("usuarios", help="listar los usuarios")
    args = parser.parse_args(argv)

    db = Database()
    prepare(db)
    accounts = AccountStore(db)
    if args.command == "usuarios":
        for user in accounts.users():
            print(f"{user.username:24} {user.role:11} {'activo' if user.active else 'desactivado'}")
        return 0
    try:
        user = accounts.create_user(args.usuario, args.rol, read_password())
    except AccountError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 2
    accounts.audit("(terminal)", "crear_usuario", usuario=user.username, rol=user.role)
    print(f"Usuario «{user.username}» creado con el rol {user.role}. Entre en http://localhost:{ports().web}/consola")
    return 0


if __name__ == "__main__":
    sys.exit(main())
