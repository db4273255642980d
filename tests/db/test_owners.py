"""One owner per table: protheus/db/__init__.py names the module that writes each table, and
`python -m protheus.db` offers only commands that exist."""

import importlib
import re
import subprocess
import sys

import protheus.db
from protheus.db.models import Base


def _owners() -> dict[str, tuple[str, str]]:
    """table → (module path, store class), from the table in protheus/db/__init__.py."""
    found = {}
    for tables, module, store in re.findall(
        r"^\| ([^|]+) \| (protheus/\S+\.py) \(`(\w+)`\) \|$", protheus.db.__doc__, re.M
    ):
        for table in re.findall(r"[a-z_]+", tables):
            found[table] = (module, store)
    return found


def test_every_table_names_its_owner_and_the_owner_exists():
    owners = _owners()
    assert set(Base.metadata.tables) <= set(owners), set(Base.metadata.tables) - set(owners)
    for module, store in set(owners.values()):
        loaded = importlib.import_module(module.removesuffix(".py").replace("/", "."))
        assert hasattr(loaded, store), (module, store)


def test_the_database_commands_are_the_ones_it_advertises():
    shown = subprocess.run(
        [sys.executable, "-m", "protheus.db", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "migrar" in shown and "importar-clientes" in shown and "seed" not in shown
