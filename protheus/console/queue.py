"""The hand-off queue: open hand-offs by channel; take, reply, close (which resumes the bot)."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from itertools import groupby

from aiohttp import web

from protheus.console.context import CONSOLE, MAX_AGENT_REPLY
from protheus.console.permissions import Permission
from protheus.console.security import requires
from protheus.console.views import allowed, error_page, masker, notice, page_notices, quote_path, render, run
from protheus.db.handoffs import HandoffError, HandoffInfo, ensure_workable
from protheus.messages import message
from protheus.rasa_client import RasaUnavailable
from protheus.vocabulary import Channel

logger = logging.getLogger(__name__)
NOTICES = page_notices(
    "cola",
    {
        "tomada": "Derivación tomada: ahora está a su cargo.",
        "enviada": "Respuesta enviada al chat del cliente.",
        "cerrada": "Derivación cerrada: el asistente vuelve a responder.",
    },
)
ERRORS = page_notices(
    "cola",
    {
        "vacia": "Escriba una respuesta antes de enviarla.",
        "larga": f"La respuesta es muy larga (máximo {MAX_AGENT_REPLY} caracteres).",
        "rasa": "Rasa no respondió: la respuesta no se envió. Intente de nuevo.",
    },
)


def _back(handoff_sender: str, key: str, kind: str = "aviso") -> web.HTTPSeeOther:
    """To the conversation's transcript, where the reply form and the notice are."""
    return web.HTTPSeeOther(f"/consola/conversaciones/{quote_path(handoff_sender)}?{kind}={key}#derivaciones")


@requires(Permission.QUEUE)
async def queue_page(request: web.Request) -> web.Response:
    ctx = request.app[CONSOLE]
    order = list(Channel)
    handoffs = sorted(await run(ctx.handoffs.open), key=lambda h: (order.index(h.channel), h.created_at))
    await run(ctx.refresh_index)
    since = {h.sender_id: _epoch(h.created_at) for h in handoffs if h.created_at}
    written = await run(ctx.conversations.written_since, since)
    mask = masker(request)
    groups = [
        (channel, [(h, mask(h.summary), _latest(written.get(h.sender_id), mask)) for h in items])
        for channel, items in groupby(handoffs, key=lambda h: h.channel)
    ]
    return render(request, "cola.html", grupos=groups, total=len(handoffs), aviso=notice(request))


def _epoch(moment: datetime) -> float:
    return moment.replace(tzinfo=moment.tzinfo or timezone.utc).timestamp()  # SQLite gives it back naive


def _latest(written: tuple | None, mask) -> tuple[int, str] | None:
    """What the customer wrote after the hand-off (from the conversation index): count, last line."""
    if written is None:
        return None
    count, message = written
    return count, mask(message.text[:200])


async def _workable(request: web.Request) -> HandoffInfo | web.Response:
    """The hand-off in the URL if the current user may work on it (taken by them, or
    ANY_HANDOFF), else the error page to show."""
    ctx = request.app[CONSOLE]
    handoff = await run(ctx.handoffs.get, request.match_info["handoff_id"])
    if handoff is None:
        return error_page(request, 404, "La derivación no existe.")
    try:
        ensure_workable(handoff, request["session"].user.username, allowed(request, Permission.ANY_HANDOFF))
    except HandoffError as error:
        return error_page(request, 409, str(error))
    return handoff


@requires(Permission.QUEUE)
async def take(request: web.Request) -> web.StreamResponse:
    ctx = request.app[CONSOLE]
    user = request["session"].user.username
    try:
        handoff = await run(ctx.handoffs.take, request.match_info["handoff_id"], user)
    except HandoffError as error:
        return error_page(request, 409, str(error))
    await run(ctx.accounts.audit, user, "tomar_derivacion", derivacion=handoff.id)
    raise _back(handoff.sender_id, NOTICES["tomada"])


@requires(Permission.QUEUE)
async def reply(request: web.Request) -> web.StreamResponse:
    ctx = request.app[CONSOLE]
    handoff = await _workable(request)
    if isinstance(handoff, web.Response):
        return handoff
    text = str((await request.post()).get("texto", "")).strip()
    if not text:
        raise _back(handoff.sender_id, ERRORS["vacia"], "error")
    if len(text) > MAX_AGENT_REPLY:
        raise _back(handoff.sender_id, ERRORS["larga"], "error")
    user = request["session"].user.username
    try:
        await ctx.rasa.send_agent_message(handoff.sender_id, text, user)
    except RasaUnavailable as error:
        logger.exception("Could not deliver the reply to %s", handoff.sender_id)
        raise _back(handoff.sender_id, ERRORS["rasa"], "error") from error
    await run(ctx.handoffs.mark_answered, handoff.id)
    await run(ctx.accounts.audit, user, "responder_derivacion", derivacion=handoff.id)
    raise _back(handoff.sender_id, NOTICES["enviada"])


@requires(Permission.QUEUE)
async def close(request: web.Request) -> web.StreamResponse:
    ctx = request.app[CONSOLE]
    handoff = await _workable(request)
    if isinstance(handoff, web.Response):
        return handoff
    user = request["session"].user
    try:
        await ctx.rasa.resume(handoff.sender_id)
        await ctx.rasa.send_agent_message(handoff.sender_id, message("agente_cierra")["text"], user.username)
    except RasaUnavailable as error:
        logger.exception("Could not resume %s", handoff.sender_id)
        raise _back(handoff.sender_id, ERRORS["rasa"], "error") from error
    try:
        await run(ctx.handoffs.close, handoff.id, user.username, allowed(request, Permission.ANY_HANDOFF))
    except HandoffError as error:
        return error_page(request, 409, str(error))
    await run(ctx.accounts.audit, user.username, "cerrar_derivacion", derivacion=handoff.id)
    raise web.HTTPSeeOther(f"/consola/cola?aviso={NOTICES['cerrada']}")
