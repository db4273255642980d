"""`make run` and `make shell` (protheus/supervisor/run.py): what they and their servers create is owner-only."""

from __future__ import annotations

import os
import stat
import sys
import time

import pytest

from protheus.db.database import Database
from protheus.supervisor import run


def test_the_database_make_run_creates_is_owner_only(tmp_path, monkeypatch):
    database = tmp_path / "estado" / "protheus.db"

    def create_the_database() -> None:  # as run() does first (prepare_database_and_model)
        Database(f"sqlite:///{database}").migrate()

    monkeypatch.setattr(run, "run", create_the_database)
    monkeypatch.setattr(sys, "argv", ["protheus.supervisor.run", "run"])
    previous = os.umask(0o022)
    try:
        run.main()
    finally:
        os.umask(previous)
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert stat.S_IMODE(database.parent.stat().st_mode) == 0o700


def test_the_supervisor_loads_none_of_the_programs_it_starts():
    """`make run` starts Rasa, the action server and the web app as processes: importing it loads
    none of their frameworks (it took a second and pulled in the console before)."""
    import subprocess
    import sys

    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, protheus.supervisor.run; print(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    heavy = {
        "sanic",
        "aiohttp",
        "jinja2",
        "sqlalchemy",
        "rasa",
        "rasa_sdk",
        "protheus.webapp.console",
        "protheus.webapp.app",
    }
    assert heavy.isdisjoint(loaded), heavy & set(loaded)


def test_a_second_signal_does_not_interrupt_the_stopping():
    import os
    import signal

    from protheus.supervisor.run import STOP_SIGNALS, stop_on_signals

    before = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
    try:
        stop_on_signals()
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGINT)  # during the stopping: ignored, no second interruption
        time.sleep(0.2)
        assert all(signal.getsignal(signum) == signal.SIG_IGN for signum in STOP_SIGNALS)
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)
