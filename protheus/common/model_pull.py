"""The contract between the web app, which serves the active model, and the Rasa replicas, which
pull it: the route, and the `models:` entry of a replica's endpoints (Rasa's model server).

Its own module so that the supervisor, which writes the replicas' endpoints, does not import the
web app that serves the route (protheus.webapp.model_server).
"""

from __future__ import annotations

ROUTE = "/modelos/activo"


def model_server_endpoint(web_port: int, token: str, pull_seconds: int) -> dict:
    """The `models:` entry of endpoints.yml for a Rasa replica on this machine."""
    return model_server_at(f"http://127.0.0.1:{web_port}", token, pull_seconds)


def model_server_at(web_url: str, token: str, pull_seconds: int) -> dict:
    """The `models:` entry for a replica that reaches the web app at `web_url` (a container's)."""
    return {"url": f"{web_url.rstrip('/')}{ROUTE}", "token": token, "wait_time_between_pulls": pull_seconds}
