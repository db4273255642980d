"""`python -m protheus.rasa_server run ...`: Rasa's command line with the HTTP API token kept
off it.

`rasa run --auth-token <token>` shows the token to every user of the machine (`ps`,
/proc/<pid>/cmdline). This launcher is started without it, takes the token out of its own
environment (PROTHEUS_RASA_TOKEN, which protheus.supervisor.processes sets for this process only) and adds
`--auth-token` to sys.argv before calling Rasa's entry point in the same process: the kernel
keeps showing the arguments the process was started with.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from protheus.common.settings import (
    RASA_TOKEN_LAUNCH_ENV,
    always_load_tensorflow,
    ensure_secrets,
    rasa_token,
    require_valid,
    take_launch_secret,
)
from protheus.rasa_server import without_tensorflow

RASA_PROGRAM = "rasa"


def with_token(arguments: list[str], token: str) -> list[str]:
    """Rasa's sys.argv: the program's name, the launcher's arguments and the API token."""
    return [RASA_PROGRAM, *arguments, "--auth-token", token]


def launch_token() -> str:
    """The token the launcher was handed, else RASA_TOKEN or the token file (a manual start)."""
    handed = take_launch_secret(RASA_TOKEN_LAUNCH_ENV)
    if handed:
        return handed
    ensure_secrets()
    return rasa_token()


def _rasa_main() -> None:
    from rasa.__main__ import main

    main()


def main(entry_point: Callable[[], None] = _rasa_main) -> None:
    require_valid()
    # Before anything imports Rasa, which imports TensorFlow: a model that needs none is served without it.
    without_tensorflow.install_for(sys.argv[1:], always_load_tensorflow())
    from protheus.rasa_server import patches

    sys.argv = with_token(sys.argv[1:], launch_token())
    patches.install()  # before Rasa builds anything that holds the functions they replace
    entry_point()


if __name__ == "__main__":
    main()
