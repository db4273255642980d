"""Tags and internal notes on a conversation's page: agents and admins add and remove them,
trainers only read them. Each change is audited and lands back on the transcript with a notice.

The transcript view (protheus/webapp/console/conversations.py) shows what `annotations_of` returns;
the store and its rules are in protheus/db/annotations.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from aiohttp import web

from protheus.common.messages import suggested_tags
from protheus.db.annotations import (
    ANNOTATION_MESSAGES,
    MAX_NOTE,
    MAX_TAG,
    AnnotationError,
    normalise_tag,
    suggestions,
)
from protheus.webapp.console.context import CONSOLE, ConsoleContext
from protheus.webapp.console.permissions import Permission
from protheus.webapp.console.security import requires
from protheus.webapp.console.views import error_page, page_notices, quote_path, run

SECTION = "anotaciones"  # the transcript's section id, where a change lands back
REMOVE = "quitar"  # the tag form's `accion` that takes the tag off
NOTICES = page_notices(
    SECTION,
    {
        "agregada": "Etiqueta agregada.",
        "repetida": "La conversación ya tenía esa etiqueta.",
        "quitada": "Etiqueta quitada.",
        "no_estaba": "La conversación no tenía esa etiqueta.",
        "nota": "Nota interna guardada.",
    },
)
ERRORS = page_notices(SECTION, ANNOTATION_MESSAGES)


def annotations_of(ctx: ConsoleContext, sender_id: str, mask: Callable[[str], str]) -> dict[str, Any]:
    """The transcript's template values: tags, notes (contact data masked as for the reader) and
    the tags to suggest while typing, and where the forms post."""
    notes = [replace(note, text=mask(note.text)) for note in ctx.annotations.notes_of(sender_id)]
    return {
        "etiquetas": ctx.annotations.tags_of(sender_id),
        "notas": notes,
        "etiquetas_sugeridas": suggestions(ctx.annotations.known_tags(), suggested_tags()),
        "ruta_anotaciones": f"/consola/conversaciones/{quote_path(sender_id)}",
        "max_etiqueta": MAX_TAG,
        "max_nota": MAX_NOTE,
    }


def _back(sender_id: str, key: str, kind: str = "aviso") -> web.HTTPSeeOther:
    """To the transcript's tags and notes, with the notice (or error) to show."""
    return web.HTTPSeeOther(f"/consola/conversaciones/{quote_path(sender_id)}?{kind}={key}#{SECTION}")


async def _conversation(request: web.Request) -> str | web.Response:
    """The conversation in the URL, or the 404 page when Rasa stored nothing under that id."""
    sender_id = request.match_info["sender_id"]
    if not await run(request.app[CONSOLE].conversations.exists, sender_id):
        return error_page(request, 404, "No hay ninguna conversación con ese identificador.")
    return sender_id


@requires(Permission.ANNOTATE)
async def tag_conversation(request: web.Request) -> web.StreamResponse:
    """Add the form's `etiqueta`, or take it off when `accion` is «quitar»."""
    ctx = request.app[CONSOLE]
    sender_id = await _conversation(request)
    if isinstance(sender_id, web.Response):
        return sender_id
    form = await request.post()
    user = request["session"].user.username
    try:
        tag = normalise_tag(str(form.get("etiqueta", "")))
    except AnnotationError as error:
        raise _back(sender_id, ERRORS[error.reason], "error") from error
    if form.get("accion") == REMOVE:
        if not await run(ctx.annotations.remove_tag, sender_id, tag):
            raise _back(sender_id, NOTICES["no_estaba"])
        await run(ctx.accounts.audit, user, "quitar_etiqueta", conversacion=sender_id, etiqueta=tag)
        raise _back(sender_id, NOTICES["quitada"])
    _, added = await run(ctx.annotations.add_tag, sender_id, tag, user)
    if not added:
        raise _back(sender_id, NOTICES["repetida"])
    await run(ctx.accounts.audit, user, "etiquetar_conversacion", conversacion=sender_id, etiqueta=tag)
    raise _back(sender_id, NOTICES["agregada"])


@requires(Permission.ANNOTATE)
async def add_note(request: web.Request) -> web.StreamResponse:
    ctx = request.app[CONSOLE]
    sender_id = await _conversation(request)
    if isinstance(sender_id, web.Response):
        return sender_id
    text, user = str((await request.post()).get("texto", "")), request["session"].user.username
    try:
        note = await run(ctx.annotations.add_note, sender_id, user, text)
    except AnnotationError as error:
        raise _back(sender_id, ERRORS[error.reason], "error") from error
    await run(ctx.accounts.audit, user, "anotar_conversacion", conversacion=sender_id, nota=note.id)
    raise _back(sender_id, NOTICES["nota"])
