"""Trainer pages: the NLU inbox (label what customers wrote into the training data, or discard it)."""

from __future__ import annotations

from aiohttp import web

from protheus.common.text import mask_contacts
from protheus.trainer.inbox import Inbox
from protheus.trainer.nlu_files import TrainingDataError, TrainingFiles
from protheus.webapp.console.context import CONSOLE
from protheus.webapp.console.permissions import Permission
from protheus.webapp.console.security import requires
from protheus.webapp.console.views import conversation_url, error_page, notice, page_notices, render, run

NOTICES = page_notices(
    "bandeja",
    {
        "etiquetados": "Ejemplos escritos en los datos: {n}. Repetidos (omitidos): {d}.",
        "descartados": "Mensajes descartados: {n}.",
    },
)


def _inbox(request: web.Request) -> Inbox:
    ctx = request.app[CONSOLE]
    return Inbox(ctx.db, TrainingFiles(ctx.project))


@requires(Permission.TRAINING)
async def inbox_page(request: web.Request) -> web.Response:
    inbox = _inbox(request)
    items = await run(inbox.items, 200)
    shown = [(item, mask_contacts(item.text)) for item in items]  # trainers never need contact data
    intents = sorted(await run(inbox.files.intents))
    return render(
        request,
        "entrenamiento.html",
        items=shown,
        intenciones=intents,
        aviso=notice(request),
        enlace=conversation_url(request),
    )


@requires(Permission.TRAINING)
async def inbox_decide(request: web.Request) -> web.StreamResponse:
    ctx = request.app[CONSOLE]
    form = await request.post()
    ids = [int(str(v)) for v in form.getall("ids", []) if str(v).isdigit()]
    user = request["session"].user.username
    if not ids:
        return error_page(request, 400, "Seleccione al menos un mensaje.")
    inbox = _inbox(request)
    if form.get("accion") == "descartar":
        count = await run(inbox.discard, ids, user)
        await run(ctx.accounts.audit, user, "descartar", eventos=ids)
        raise web.HTTPSeeOther(f"/consola/entrenamiento?aviso={NOTICES['descartados']}&n={count}")
    intent = str(form.get("intencion", "")) or None
    if intent and intent not in await run(inbox.files.intents):
        return error_page(request, 400, "Esa intención no está en el catálogo.")
    try:
        report = await run(inbox.label, ids, intent, user)
    except TrainingDataError as error:  # nothing was written: the training data stays readable
        return error_page(request, 409, str(error))
    await run(
        ctx.accounts.audit, user, "etiquetar", eventos=ids, intencion=intent or "(predicha)", escritos=report.written
    )
    raise web.HTTPSeeOther(
        f"/consola/entrenamiento?aviso={NOTICES['etiquetados']}&n={len(report.written)}&d={report.duplicates}"
    )
