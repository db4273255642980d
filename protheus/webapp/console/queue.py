"""The hand-off queue: open hand-offs by channel; take, reply, close (which resumes the bot)."""

from __future__ import annotations

import logging
from itertools import groupby

from aiohttp import web

from protheus.common.messages import message, survey_texts
from protheus.common.text import typed_lines
from protheus.common.vocabulary import AttendedBy, Channel
from protheus.db.handoffs import HandoffError, HandoffInfo, ensure_workable
from protheus.db.models import epoch
from protheus.db.satisfaction import session_started_at, survey_message
from protheus.webapp.console.context import CONSOLE, MAX_AGENT_REPLY
from protheus.webapp.console.permissions import Permission
from protheus.webapp.console.security import requires
from protheus.webapp.console.views import allowed, error_page, masker, notice, page_notices, quote_path, render, run
from protheus.webapp.rasa_client import RasaUnavailable

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
    since = {h.sender_id: epoch(h.created_at) for h in handoffs if h.created_at}
    written = await run(ctx.conversations.written_since, since)
    mask = masker(request)
    groups = [
        (channel, [(h, mask(h.summary), _latest(written.get(h.sender_id), mask)) for h in items])
        for channel, items in groupby(handoffs, key=lambda h: h.channel)
    ]
    return render(request, "cola.html", grupos=groups, total=len(handoffs), aviso=notice(request))


async def _ask_satisfaction(request: web.Request, handoff: HandoffInfo) -> None:
    """The customer an agent attended is asked how it went (once per session; a survey that
    cannot be sent is not worth failing the close for)."""
    ctx = request.app[CONSOLE]
    events = await run(ctx.conversations.events, handoff.sender_id)
    survey = await run(
        ctx.satisfaction.ask, handoff.sender_id, AttendedBy.AGENT, session_started_at(events), handoff.id
    )
    if survey is None:
        return
    asked = survey_message(survey, survey_texts()["pregunta"])
    try:
        await ctx.rasa.send_message(handoff.sender_id, asked["text"], custom=asked["custom"])
    except RasaUnavailable:
        logger.warning("Could not ask %s the satisfaction survey", handoff.sender_id)


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
    text = typed_lines(str((await request.post()).get("texto", ""))).strip()
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
async def typing(request: web.Request) -> web.StreamResponse:
    """The agent is typing a reply: the customer's web chat shows «El agente está escribiendo…»."""
    handoff = await _workable(request)
    if isinstance(handoff, web.Response):
        return handoff
    try:
        await request.app[CONSOLE].rasa.agent_typing(handoff.sender_id)
    except RasaUnavailable:
        return web.json_response({"ok": False}, status=502)  # a notice lost: nothing to tell the agent
    return web.json_response({"ok": True})


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
    await _ask_satisfaction(request, handoff)
    raise web.HTTPSeeOther(f"/consola/cola?aviso={NOTICES['cerrada']}")
