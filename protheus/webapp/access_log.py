"""The web app's access log without secrets: the Rasa replicas ask for the active model with the
Rasa API token in the query string (Rasa's model server endpoint sends it there, every
MODEL_PULL_SECONDS), and aiohttp's default log line holds the whole URL. Under a container the
log goes to stdout, where anyone who reads the logs would read the token (finding 7 of issue 24).
"""

from __future__ import annotations

import re

from aiohttp.abc import AbstractAccessLogger
from aiohttp.web import BaseRequest, StreamResponse

SECRET_PARAMS = re.compile(r"(?i)([?&](?:token|auth|key|secret|password|clave)=)[^&#\s]*")
REDACTED = "[oculto]"


def redacted(path_qs: str) -> str:
    """The path with the value of every secret-looking query parameter hidden."""
    return SECRET_PARAMS.sub(rf"\1{REDACTED}", path_qs)


class RedactedAccessLogger(AbstractAccessLogger):
    """aiohttp's access log line (address, request line, status, size, time) with secrets hidden."""

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        self.logger.info(
            '%s "%s %s HTTP/%s.%s" %s %s %.3fs',
            request.remote,
            request.method,
            redacted(request.path_qs),
            request.version.major,
            request.version.minor,
            response.status,
            response.body_length,
            time,
        )
