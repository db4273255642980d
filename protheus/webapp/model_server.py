"""The active model for Rasa's model server endpoint (`models:` in endpoints.yml).

Every Rasa replica asks GET /modelos/activo every MODEL_PULL_SECONDS with the name of the
model it serves as If-None-Match; the answer is 304 until a trainer activates or rolls back
another model in the registry, then the new file with its name as ETag. So an activation
reaches every replica, not only the one a `PUT /model` would have reached.
"""

from __future__ import annotations

import asyncio
import logging
import secrets

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from protheus.common.model_pull import ROUTE
from protheus.trainer.registry import ModelRegistry
from protheus.webapp.console.context import CONSOLE

__all__ = ["ROUTE", "active_model"]
logger = logging.getLogger(__name__)


async def active_model(request: web.Request) -> web.Response:
    ctx = request.app[CONSOLE]
    if not secrets.compare_digest(request.query.get("token", ""), ctx.rasa.token):
        raise web.HTTPUnauthorized(text="Token de Rasa no válido.")
    try:
        model = await asyncio.to_thread(ModelRegistry(ctx.db, ctx.project).active_path)
    except SQLAlchemyError as error:  # the registry lives in the database: each replica keeps its model
        logger.warning("No se pudo leer el modelo activo del registro: %s", str(error).splitlines()[0])
        raise web.HTTPServiceUnavailable(
            text="La base de datos no responde: no se puede leer el modelo activo. Cada réplica sigue con el suyo."
        ) from None
    if model is None:
        raise web.HTTPNotFound(text="No hay un modelo activo en el registro.")
    headers = {"ETag": model.name, "filename": model.name}
    if request.headers.get("If-None-Match") == model.name:
        return web.Response(status=304, headers=headers)
    body = await asyncio.to_thread(model.read_bytes)
    return web.Response(body=body, headers=headers, content_type="application/gzip")
