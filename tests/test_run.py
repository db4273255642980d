"""`make run` and `make shell` (protheus/run.py): what they and their servers create is owner-only."""

from __future__ import annotations

import os
import stat
import sys

from protheus import run
from protheus.db.database import Database


def test_the_database_make_run_creates_is_owner_only(tmp_path, monkeypatch):
    database = tmp_path / "estado" / "protheus.db"

    def create_the_database() -> None:  # as run() does first (prepare_database_and_model)
        Database(f"sqlite:///{database}").migrate()

    monkeypatch.setattr(run, "run", create_the_database)
    monkeypatch.setattr(sys, "argv", ["protheus.run", "run"])
    previous = os.umask(0o022)
    try:
        run.main()
    finally:
        os.umask(previous)
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert stat.S_IMODE(database.parent.stat().st_mode) == 0o700
