"""python -m protheus.trainer: its --help lists the trainers' commands, and only those."""

import subprocess
import sys

from protheus.common.paths import PROJECT
from protheus.trainer.__main__ import execute_run, parser


def test_the_help_lists_the_trainers_commands_and_hides_the_console_s_own():
    """Issue 24, finding 12: --help listed «ejecutar ==SUPPRESS==»."""
    shown = subprocess.run(
        [sys.executable, "-m", "protheus.trainer", "--help"], cwd=PROJECT.root, capture_output=True, text=True
    )
    assert shown.returncode == 0 and "bandeja" in shown.stdout and "evaluar" in shown.stdout
    assert "SUPPRESS" not in shown.stdout and "ejecutar" not in shown.stdout


def test_the_hidden_command_still_runs_the_console_s_training_runs():
    args = parser().parse_args(["ejecutar", "7"])
    assert (args.function, args.run_id) == (execute_run, 7)
