"""Trainer pages: retraining with progress, the model registry, activation and rollback."""

from __future__ import annotations

import re
from urllib.parse import quote

from aiohttp import web

from protheus.console.context import CONSOLE, render, run
from protheus.console.security import error_page, requires
from protheus.rasa_client import RasaUnavailable
from protheus.trainer.registry import ActivationRefused, ModelRegistry
from protheus.trainer.runs import TrainingRuns

NOTICES = {
    "entrenando": "Entrenamiento iniciado: el progreso se ve abajo.",
    "activado": "Modelo activado en el asistente, sin cortar las conversaciones.",
    "revertido": "Se volvió al modelo anterior.",
}


def _notice(request: web.Request) -> str:
    return NOTICES.get(request.query.get("aviso", ""), "")


@requires("entrenamiento")
async def models_page(request: web.Request) -> web.Response:
    ctx = request.app[CONSOLE]
    runs = TrainingRuns(ctx.db, ctx.project)
    busy = await run(runs.running) is not None
    recent = await run(runs.recent, 5)
    models = await run(ModelRegistry(ctx.db, ctx.project).models)
    return render(request, "modelos.html", corridas=recent, ocupado=busy, modelos=models, aviso=_notice(request),
                  error=request.query.get("error_texto", "")[:300])


@requires("entrenamiento")
async def start_training(request: web.Request) -> web.StreamResponse:
    ctx = request.app[CONSOLE]
    runs = TrainingRuns(ctx.db, ctx.project)
    if await run(runs.running):
        return error_page(request, 409, "Ya hay un entrenamiento en curso; espere a que termine.")
    user = request["session"].user.username
    run_id = await run(runs.start_in_background, user)
    await run(ctx.accounts.audit, user, "entrenar", corrida=run_id)
    raise web.HTTPSeeOther("/consola/entrenamiento/modelos?aviso=entrenando")


def _back_with_error(error: Exception) -> web.HTTPSeeOther:
    return web.HTTPSeeOther(f"/consola/entrenamiento/modelos?error_texto={quote(str(error))}")


@requires("entrenamiento")
async def activate_model(request: web.Request) -> web.StreamResponse:
    ctx = request.app[CONSOLE]
    form = await request.post()
    name = request.match_info["name"]
    user = request["session"].user.username
    try:
        await ModelRegistry(ctx.db, ctx.project).activate(name, user, ctx.rasa, confirm=form.get("confirmar") == "1")
    except ActivationRefused as error:
        raise _back_with_error(error)
    except RasaUnavailable:
        raise _back_with_error(RuntimeError("Rasa no respondió: el modelo no se activó."))
    await run(ctx.accounts.audit, user, "activar_modelo", modelo=name)
    raise web.HTTPSeeOther("/consola/entrenamiento/modelos?aviso=activado")


@requires("entrenamiento")
async def rollback_model(request: web.Request) -> web.StreamResponse:
    ctx = request.app[CONSOLE]
    user = request["session"].user.username
    try:
        model = await ModelRegistry(ctx.db, ctx.project).rollback(user, ctx.rasa)
    except ActivationRefused as error:
        raise _back_with_error(error)
    except RasaUnavailable:
        raise _back_with_error(RuntimeError("Rasa no respondió: el modelo no cambió."))
    await run(ctx.accounts.audit, user, "revertir_modelo", modelo=model.name)
    raise web.HTTPSeeOther("/consola/entrenamiento/modelos?aviso=revertido")


@requires("entrenamiento")
async def model_page(request: web.Request) -> web.Response:
    ctx = request.app[CONSOLE]
    model = await run(ModelRegistry(ctx.db, ctx.project).get, request.match_info["name"])
    if model is None:
        return error_page(request, 404, "No existe ese modelo.")
    return render(request, "modelo.html", modelo=model)


@requires("entrenamiento")
async def confusion_image(request: web.Request) -> web.StreamResponse:
    ctx = request.app[CONSOLE]
    name = request.match_info["file"]
    path = ctx.project.evaluations / name
    if not re.fullmatch(r"[\w.-]+-confusion\.png", name) or not path.is_file():
        return error_page(request, 404, "No existe esa imagen.")
    return web.FileResponse(path)
