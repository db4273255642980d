"""The hand-off queue: open hand-offs by channel; take, reply, close (which resumes the bot)."""
from __future__ import annotations

import logging
from itertools import groupby

from aiohttp import web

from protheus.console.context import CONSOLE, can, render, run
from protheus.console.conversations import masker, quote_path
from protheus.console.security import error_page, requires
from protheus.db.handoffs import HandoffError, ensure_workable
from protheus.messages import message
from protheus.rasa_client import RasaUnavailable
from protheus.vocabulary import Channel

logger = logging.getLogger(__name__)
MAX_REPLY = 2000


def _back(handoff_sender: str, key: str, kind: str = "aviso") -> web.HTTPSeeOther:
    return web.HTTPSeeOther(f"/consola/conversaciones/{quote_path(handoff_sender)}?{kind}={key}#derivaciones")


@requires("cola")
async def queue_page(request: web.Request) -> web.Response:
    ctx = request.app[CONSOLE]
    order = list(Channel)
    handoffs = sorted(await run(ctx.handoffs.open), key=lambda h: (order.index(h.channel), h.created_at))
    mask = masker(request)
    groups = [(channel, [(h, mask(h.summary)) for h in items]) for channel, items in groupby(handoffs, key=lambda h: h.channel)]
    return render(request, "cola.html", grupos=groups, total=len(handoffs),
                  aviso="Derivación cerrada: el asistente vuelve a responder." if request.query.get("aviso") == "cerrada" else "")


async def _mine(request: web.Request):
    """The hand-off in the URL, if the current user may work on it (taken by them, or admin)."""
    ctx = request.app[CONSOLE]
    handoff = await run(ctx.handoffs.get, request.match_info["handoff_id"])
    if handoff is None:
        return None, error_page(request, 404, "La derivación no existe.")
    user = request["session"].user
    try:
        ensure_workable(handoff, user.username, can(user.role, "usuarios"))
    except HandoffError as error:
        return None, error_page(request, 409, str(error))
    return handoff, None


@requires("cola")
async def take(request: web.Request) -> web.StreamResponse:
    ctx = request.app[CONSOLE]
    user = request["session"].user.username
    try:
        handoff = await run(ctx.handoffs.take, request.match_info["handoff_id"], user)
    except HandoffError as error:
        return error_page(request, 409, str(error))
    await run(ctx.accounts.audit, user, "tomar_derivacion", derivacion=handoff.id)
    raise _back(handoff.sender_id, "tomada")


@requires("cola")
async def reply(request: web.Request) -> web.StreamResponse:
    ctx = request.app[CONSOLE]
    handoff, problem = await _mine(request)
    if problem is not None:  # a Response is falsy (it is an empty mapping)
        return problem
    text = str((await request.post()).get("texto", "")).strip()
    if not text:
        raise _back(handoff.sender_id, "vacia", "error")
    if len(text) > MAX_REPLY:
        raise _back(handoff.sender_id, "larga", "error")
    user = request["session"].user.username
    try:
        await ctx.rasa.send_agent_message(handoff.sender_id, text, user)
    except RasaUnavailable:
        logger.exception("Could not deliver the reply to %s", handoff.sender_id)
        raise _back(handoff.sender_id, "rasa", "error")
    await run(ctx.accounts.audit, user, "responder_derivacion", derivacion=handoff.id)
    raise _back(handoff.sender_id, "enviada")


@requires("cola")
async def close(request: web.Request) -> web.StreamResponse:
    ctx = request.app[CONSOLE]
    handoff, problem = await _mine(request)
    if problem is not None:  # a Response is falsy (it is an empty mapping)
        return problem
    user = request["session"].user
    try:
        await ctx.rasa.resume(handoff.sender_id)
        await ctx.rasa.send_agent_message(handoff.sender_id, message("agente_cierra")["text"], user.username)
    except RasaUnavailable:
        logger.exception("Could not resume %s", handoff.sender_id)
        raise _back(handoff.sender_id, "rasa", "error")
    try:
        await run(ctx.handoffs.close, handoff.id, user.username, can(user.role, "usuarios"))
    except HandoffError as error:
        return error_page(request, 409, str(error))
    await run(ctx.accounts.audit, user.username, "cerrar_derivacion", derivacion=handoff.id)
    raise web.HTTPSeeOther("/consola/cola?aviso=cerrada")
