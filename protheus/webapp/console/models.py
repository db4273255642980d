"""Trainer pages: retraining with progress, the model registry, activation and rollback."""

from __future__ import annotations

import re

from aiohttp import web

from protheus.trainer.registry import ActivationRefused, ModelRegistry
from protheus.trainer.runs import TrainingRuns
from protheus.webapp.console.context import CONSOLE
from protheus.webapp.console.permissions import Permission
from protheus.webapp.console.security import requires
from protheus.webapp.console.views import error_page, notice, page_notices, render, run

NOTICES = page_notices(
    "modelos",
    {
        "entrenando": "Entrenamiento iniciado: el progreso se ve abajo.",
        "activado": "Modelo activado: el asistente lo carga en unos segundos, sin cortar las conversaciones.",
        "revertido": "Se volvió al modelo anterior: cada réplica lo carga en unos segundos.",
    },
)


@requires(Permission.TRAINING)
async def models_page(request: web.Request) -> web.Response:
    return await _models(request)


async def _models(request: web.Request, error: str = "", status: int = 200) -> web.Response:
    """The models page; `error` is a refusal said by this server, never text from the URL."""
    ctx = request.app[CONSOLE]
    runs = TrainingRuns(ctx.db, ctx.project)
    busy = await run(runs.running) is not None
    recent = await run(runs.recent, 5)
    models = await run(ModelRegistry(ctx.db, ctx.project).models)
    return render(
        request,
        "modelos.html",
        status,
        corridas=recent,
        ocupado=busy,
        modelos=models,
        aviso=notice(request),
        error=error,
    )


@requires(Permission.TRAINING)
async def start_training(request: web.Request) -> web.StreamResponse:
    ctx = request.app[CONSOLE]
    runs = TrainingRuns(ctx.db, ctx.project)
    if await run(runs.running):
        return error_page(request, 409, "Ya hay un entrenamiento en curso; espere a que termine.")
    user = request["session"].user.username
    run_id = await run(runs.start_in_background, user)
    await run(ctx.accounts.audit, user, "entrenar", corrida=run_id)
    raise web.HTTPSeeOther(f"/consola/entrenamiento/modelos?aviso={NOTICES['entrenando']}")


async def _refused(request: web.Request, error: Exception) -> web.Response:
    return await _models(request, str(error), status=409)


@requires(Permission.TRAINING)
async def activate_model(request: web.Request) -> web.StreamResponse:
    ctx = request.app[CONSOLE]
    form = await request.post()
    name = request.match_info["name"]
    user = request["session"].user.username
    try:
        await run(ModelRegistry(ctx.db, ctx.project).activate, name, user, form.get("confirmar") == "1")
    except ActivationRefused as error:
        return await _refused(request, error)
    await run(ctx.accounts.audit, user, "activar_modelo", modelo=name)
    raise web.HTTPSeeOther(f"/consola/entrenamiento/modelos?aviso={NOTICES['activado']}")


@requires(Permission.TRAINING)
async def rollback_model(request: web.Request) -> web.StreamResponse:
    ctx = request.app[CONSOLE]
    user = request["session"].user.username
    try:
        model = await run(ModelRegistry(ctx.db, ctx.project).rollback, user)
    except ActivationRefused as error:
        return await _refused(request, error)
    await run(ctx.accounts.audit, user, "revertir_modelo", modelo=model.name)
    raise web.HTTPSeeOther(f"/consola/entrenamiento/modelos?aviso={NOTICES['revertido']}")


@requires(Permission.TRAINING)
async def model_page(request: web.Request) -> web.Response:
    ctx = request.app[CONSOLE]
    model = await run(ModelRegistry(ctx.db, ctx.project).get, request.match_info["name"])
    if model is None:
        return error_page(request, 404, "No existe ese modelo.")
    return render(request, "modelo.html", modelo=model)


@requires(Permission.TRAINING)
async def confusion_image(request: web.Request) -> web.StreamResponse:
    ctx = request.app[CONSOLE]
    name = request.match_info["file"]
    path = ctx.project.evaluations / name
    if not re.fullmatch(r"[\w.-]+-confusion\.png", name) or not path.is_file():
        return error_page(request, 404, "No existe esa imagen.")
    return web.FileResponse(path)
