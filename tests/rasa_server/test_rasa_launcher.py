"""Rasa's API token is never on a command line: the launcher adds it inside the process."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from protheus.common.paths import PROJECT
from protheus.common.settings import RASA_TOKEN_LAUNCH_ENV, Ports
from protheus.rasa_server import launcher
from protheus.supervisor.processes import start_rasa_server

TOKEN = "token-que-no-debe-verse-en-ps-8d1f"
# Apart from make run's and the e2e tests' ports; nothing listens on them.
FAKE_PORTS = Ports(rasa=19605, actions=19655, web=19680)

FAKE_RASA = """
import json, os, sys, time

def main():
    seen = {"argv": sys.argv, "launch_env": os.environ.get("PROTHEUS_RASA_TOKEN")}
    with open(os.environ["FAKE_RASA_OUT"], "w") as out:
        json.dump(seen, out)
    time.sleep(60)
"""


def test_the_token_goes_last_in_rasas_arguments():
    assert launcher.with_token(["run", "--port", "5005"], "t") == [
        "rasa",
        "run",
        "--port",
        "5005",
        "--auth-token",
        "t",
    ]


def test_the_launcher_takes_the_token_out_of_its_environment(monkeypatch):
    seen: dict = {}
    monkeypatch.setattr(sys, "argv", ["protheus.rasa_server.launcher", "run", "--enable-api"])
    monkeypatch.setenv(RASA_TOKEN_LAUNCH_ENV, TOKEN)

    def entry_point() -> None:
        import os

        seen.update(argv=list(sys.argv), env=os.environ.get(RASA_TOKEN_LAUNCH_ENV))

    launcher.main(entry_point)
    assert seen == {"argv": ["rasa", "run", "--enable-api", "--auth-token", TOKEN], "env": None}


def _fake_rasa(root: Path) -> Path:
    """A `rasa` package whose entry point notes what it was given and waits; the rest of it is
    Rasa's own (the launcher installs Rasa's patches before the entry point)."""
    import rasa

    package = root / "rasa"
    package.mkdir(parents=True)
    real = Path(rasa.__file__).parent
    init = f"__path__.append({str(real)!r})\nfrom rasa import version\n__version__ = version.__version__\n"
    (package / "__init__.py").write_text(init, encoding="utf-8")
    (package / "__main__.py").write_text(textwrap.dedent(FAKE_RASA), encoding="utf-8")
    return root


def _wait_for(path: Path, process: subprocess.Popen, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text(encoding="utf-8"):
            return json.loads(path.read_text(encoding="utf-8"))
        assert process.poll() is None, "the launcher stopped"
        time.sleep(0.1)
    pytest.fail("the fake Rasa did not start")


def test_start_rasa_server_keeps_the_token_off_the_command_line(tmp_path):
    out = tmp_path / "visto.json"
    env = {"PYTHONPATH": str(_fake_rasa(tmp_path / "falso")), "FAKE_RASA_OUT": str(out), "DATABASE_URL": "sqlite://"}
    service = start_rasa_server(tmp_path / "modelo.tar.gz", TOKEN, FAKE_PORTS, env=env)
    try:
        seen = _wait_for(out, service.process)
        cmdline = Path(f"/proc/{service.process.pid}/cmdline").read_bytes().decode("utf-8")
        processes = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout
    finally:
        service.stop()
        (PROJECT.state / f"endpoints-{FAKE_PORTS.rasa}.yml").unlink(missing_ok=True)
        service.log.unlink(missing_ok=True)
    assert "protheus.rasa_server" in cmdline and "--enable-api" in cmdline
    assert TOKEN not in cmdline and TOKEN not in processes
    assert seen["argv"][-2:] == ["--auth-token", TOKEN]  # Rasa itself gets it
    assert seen["launch_env"] is None  # and nothing Rasa starts inherits it
    assert TOKEN not in repr(service)
