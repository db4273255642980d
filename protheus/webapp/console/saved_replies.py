"""Saved replies: the admins' page that keeps them (list, create, edit, delete, each audited),
and what the agents' reply form offers to insert: the admins' replies, then the guideline's.

Each change redirects back to the page with a notice; a refused one is shown again with the
Spanish reason and what the admin typed, so nothing is lost.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from protheus.common.vocabulary import HandoffStatus
from protheus.db.handoffs import HandoffInfo
from protheus.db.saved_replies import MAX_TITLE, SavedReplyError, SavedReplyNotFound
from protheus.webapp.console.context import CONSOLE
from protheus.webapp.console.permissions import Permission
from protheus.webapp.console.ready_replies import guideline_replies
from protheus.webapp.console.security import requires
from protheus.webapp.console.views import allowed, notice, page_notices, parse_id, render, run

PAGE = "/consola/respuestas"
NOTICES = page_notices(
    "respuestas",
    {
        "creada": "Respuesta guardada creada: ya la ven los agentes al responder.",
        "guardada": "Respuesta guardada modificada.",
        "borrada": "Respuesta guardada borrada.",
    },
)
# The reply form's `accion`: what the audit log records, and the notice after it.
CHANGES = {
    "guardar": ("modificar_respuesta_guardada", "guardada"),
    "borrar": ("borrar_respuesta_guardada", "borrada"),
}


async def _page(
    request: web.Request, status: int = 200, error: str = "", draft: dict[str, Any] | None = None
) -> web.Response:
    """The page; `draft` holds what the admin typed in a refused form (id None: the new one)."""
    ctx = request.app[CONSOLE]
    return render(
        request,
        "respuestas.html",
        status=status,
        respuestas=await run(ctx.saved_replies.list),
        pautas=guideline_replies(),
        borrador=draft,
        max_titulo=MAX_TITLE,
        aviso=notice(request),
        error=error,
    )


def _typed(form: Any, reply_id: int | None) -> dict[str, Any]:
    return {"id": reply_id, "titulo": str(form.get("titulo", "")), "texto": str(form.get("texto", ""))}


@requires(Permission.SAVED_REPLIES)
async def saved_replies_page(request: web.Request) -> web.Response:
    return await _page(request)


@requires(Permission.SAVED_REPLIES)
async def create_reply(request: web.Request) -> web.StreamResponse:
    ctx = request.app[CONSOLE]
    form = await request.post()
    admin = request["session"].user.username
    draft = _typed(form, None)
    try:
        reply = await run(ctx.saved_replies.create, draft["titulo"], draft["texto"], admin)
    except SavedReplyError as error:
        return await _page(request, 400, str(error), draft)
    await run(ctx.accounts.audit, admin, "crear_respuesta_guardada", respuesta=reply.id, titulo=reply.title)
    raise web.HTTPSeeOther(f"{PAGE}?aviso={NOTICES['creada']}#r{reply.id}")


@requires(Permission.SAVED_REPLIES)
async def change_reply(request: web.Request) -> web.StreamResponse:
    """Save the edited reply (accion=guardar) or delete it (accion=borrar)."""
    ctx = request.app[CONSOLE]
    form = await request.post()
    admin = request["session"].user.username
    reply_id = parse_id(request.match_info["reply_id"])
    action = str(form.get("accion", ""))
    if action not in CHANGES:
        return await _page(request, 400, "Acción no válida: use Guardar cambios o Borrar.")
    draft = _typed(form, reply_id)
    try:
        if reply_id is None:
            raise SavedReplyNotFound()
        if action == "borrar":
            reply = await run(ctx.saved_replies.delete, reply_id)
        else:
            reply = await run(ctx.saved_replies.update, reply_id, draft["titulo"], draft["texto"], admin)
    except SavedReplyNotFound as error:
        return await _page(request, 404, str(error))
    except SavedReplyError as error:
        return await _page(request, 400, str(error), draft)
    audited, done = CHANGES[action]
    await run(ctx.accounts.audit, admin, audited, respuesta=reply.id, titulo=reply.title)
    raise web.HTTPSeeOther(f"{PAGE}?aviso={NOTICES[done]}" + (f"#r{reply.id}" if action == "guardar" else ""))


async def picker_replies(request: web.Request, handoffs: list[HandoffInfo]) -> list[dict[str, str]]:
    """What the reply form offers (title, text, where it comes from): the admins' saved replies,
    then the guideline's; none when the page shows this user no reply form."""
    me = request["session"].user.username
    anyone = allowed(request, Permission.ANY_HANDOFF)
    replying = any(h.status == HandoffStatus.IN_PROGRESS and (h.assigned_to == me or anyone) for h in handoffs)
    if not replying or not allowed(request, Permission.QUEUE):
        return []
    saved = await run(request.app[CONSOLE].saved_replies.list)
    return [{"titulo": r.title, "texto": r.text, "origen": "equipo"} for r in saved] + [
        {"titulo": r.title, "texto": r.text, "origen": "pautas"} for r in guideline_replies()
    ]
