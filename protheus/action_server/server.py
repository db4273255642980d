"""`python -m protheus.action_server --actions actions --port 5055`: rasa-sdk's action server,
on loopback only, running actions only for whoever shows the shared secret.

Any local process (any user of the machine) could otherwise POST to /webhook and run the
actions: register a hand-off, read a customer's data. Rasa sends the secret in the header
ACTION_SECRET_HEADER (endpoints.yml, written by protheus.supervisor.processes); every other call gets a 401
with a Spanish JSON body. /health stays open for the launchers' health check. The secret comes
in the environment (PROTHEUS_ACTION_SECRET, set by protheus.supervisor.processes for this process only),
never on the command line.
"""

from __future__ import annotations

import argparse
import hmac
import logging
from collections.abc import Awaitable, Callable

from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
from rasa_sdk.endpoint import create_app
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from protheus.common.settings import (
    ACTION_SECRET_HEADER,
    ACTION_SECRET_LAUNCH_ENV,
    LOOPBACK,
    action_secret,
    ensure_secrets,
    lock_store_url,
    require_valid,
    take_launch_secret,
)

logger = logging.getLogger("protheus.action_server")  # also when run as __main__

OPEN_PATHS = frozenset({"/health"})
REFUSAL = {
    "error": "No autorizado: el servidor de acciones solo atiende al servidor Rasa de este asistente.",
}


def authorised(path: str, shown: str | None, secret: str) -> bool:
    """Whether a call to `path` showing `shown` in the secret header may go on."""
    if path in OPEN_PATHS:
        return True
    return bool(secret) and hmac.compare_digest((shown or "").encode("utf-8"), secret.encode("utf-8"))


def secret_guard(secret: str) -> Callable[[Request], Awaitable[HTTPResponse | None]]:
    """A Sanic request middleware answering 401 to calls without the secret."""

    async def guard(request: Request) -> HTTPResponse | None:
        if authorised(request.path, request.headers.get(ACTION_SECRET_HEADER), secret):
            return None
        logger.warning("Refused a call to %s without the action server's secret", request.path)
        return response.json(REFUSAL, status=401)

    return guard


def guarded_app(actions: str, secret: str) -> Sanic:
    """rasa-sdk's app for the `actions` package behind the secret (no CORS: browsers never call it)."""
    if not secret:
        raise ValueError("the action server needs a secret")
    app = create_app(actions, cors_origins=None)
    app.register_middleware(secret_guard(secret), "request")
    return app


def _configure_logging(args: argparse.Namespace) -> None:
    """As rasa-sdk's own command line does (`rasa run actions`)."""
    logging.getLogger("matplotlib").setLevel(logging.WARN)
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME), args.log_file, args.loglevel, args.logging_config_file
    )
    utils.update_sanic_log_level()


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Servidor de acciones del asistente (solo local, con secreto).")
    parser.add_argument("--actions", default="protheus.action_server.actions", help="paquete de las acciones")
    parser.add_argument("--port", type=int, required=True)
    # Loopback unless a container must be reached by its service name (deploy/docker-compose.yml).
    parser.add_argument("--host", default=LOOPBACK, help="dirección en la que escucha (por defecto 127.0.0.1)")
    utils.add_logging_level_option_arguments(parser)
    utils.add_logging_file_arguments(parser)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    require_valid()
    args = _arguments(argv)
    secret = take_launch_secret(ACTION_SECRET_LAUNCH_ENV)
    if not secret:
        ensure_secrets()  # started by hand: the secret Rasa will show, created once
        secret = action_secret()
    _configure_logging(args)
    app = guarded_app(args.actions, secret)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    if lock_store_url():  # hand-offs another action server kept during an outage: written from here too
        from protheus.action_server.actions.database import handoff_outbox

        handoff_outbox().retry_in_background()
    logger.info("Action server on http://%s:%s, calls only with the secret", args.host, args.port)
    app.run(args.host, args.port, workers=utils.number_of_sanic_workers())


if __name__ == "__main__":
    main()
