"""Conversation list (filters, pages, CSV/JSON export), transcript, and flags for trainers."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from urllib.parse import urlencode

from aiohttp import web

from protheus.common.text import csv_cell
from protheus.db.annotations import AnnotationError, normalise_tag
from protheus.db.conversations import ConversationFilter, ConversationRow
from protheus.webapp.console.annotations import annotations_of
from protheus.webapp.console.context import CONSOLE
from protheus.webapp.console.dates import DateError, parse_days
from protheus.webapp.console.permissions import Permission
from protheus.webapp.console.saved_replies import picker_replies
from protheus.webapp.console.security import requires
from protheus.webapp.console.transcript import lines
from protheus.webapp.console.views import (
    allowed,
    conversation_url,
    error_page,
    masker,
    notice,
    page_notices,
    parse_id,
    render,
    run,
)

PER_PAGE = 50
FILTER_FIELDS = ("desde", "hasta", "intencion", "canal", "confianza_menor", "aclaracion", "texto", "etiqueta")
NOTICES = page_notices("conversacion", {"marcado": "Mensaje marcado para los entrenadores."})


class FilterError(ValueError):
    pass


def _days(query: Mapping[str, str]) -> tuple[date | None, date | None]:
    try:
        return parse_days(query)
    except DateError as error:
        raise FilterError(str(error)) from error


def _confidence(value: str) -> float | None:
    if not value:
        return None
    try:
        number = float(value.replace(",", ".").rstrip("%").strip())
    except ValueError as error:
        raise FilterError("Confianza: escriba un número entre 0 y 1 (o un porcentaje).") from error
    number = number / 100 if number > 1 else number
    if not 0 <= number <= 1:
        raise FilterError("Confianza: escriba un número entre 0 y 1 (o un porcentaje).")
    return number


def _tag(value: str) -> str | None:
    if not value.strip():
        return None
    try:
        return normalise_tag(value)
    except AnnotationError as error:
        raise FilterError(str(error)) from error


def parse_filters(request: web.Request) -> ConversationFilter:
    query = request.query
    date_from, date_to = _days(query)
    return ConversationFilter(
        date_from=date_from,
        date_to=date_to,
        intent=query.get("intencion", "").strip() or None,
        channel=query.get("canal", "").strip() or None,
        confidence_below=_confidence(query.get("confianza_menor", "").strip()),
        fallback_only=query.get("aclaracion") == "1",
        text=query.get("texto", "").strip()[:200] or None,
        tag=_tag(query.get("etiqueta", "")),
        timezone=request.app[CONSOLE].timezone,
        masked=not allowed(request, Permission.PERSONAL_DATA),
    )


def _page(request: web.Request) -> int:
    try:
        return max(1, min(int(request.query.get("pagina", "1")), 100_000))
    except ValueError:
        return 1


@requires(Permission.CONVERSATIONS)
async def conversation_list(request: web.Request) -> web.Response:
    ctx = request.app[CONSOLE]
    await run(ctx.refresh_index)
    values = {name: request.query.get(name, "") for name in FILTER_FIELDS}
    error, rows, total = "", list[ConversationRow](), 0
    page = _page(request)
    try:
        rows, total = await run(ctx.conversations.page, parse_filters(request), page, PER_PAGE)
    except FilterError as problem:
        error = str(problem)
    mask = masker(request)
    rows = [_masked(row, mask) for row in rows]
    query = urlencode([(k, v) for k, v in request.query.items() if k in FILTER_FIELDS and v])
    return render(
        request,
        "conversaciones.html",
        status=400 if error else 200,
        filas=rows,
        total=total,
        pagina=page,
        por_pagina=PER_PAGE,
        filtros=values,
        error=error,
        intenciones=await run(ctx.conversations.intents_seen),
        canales=await run(ctx.conversations.channels_seen),
        etiquetas=[tag for tag, _ in await run(ctx.annotations.known_tags)],
        paginas=max(1, -(-total // PER_PAGE)),
        filtros_qs=query,
        enlace=conversation_url(request),
    )


def _masked(row: ConversationRow, mask: Callable[[str], str]) -> ConversationRow:
    return replace(row, sender_id=mask(row.sender_id), first_message=mask(row.first_message or ""))


EXPORT_COLUMNS = [
    "conversacion",
    "inicio",
    "ultimo_mensaje",
    "canal",
    "cliente",
    "intenciones",
    "derivaciones",
    "confianza_minima",
    "hubo_aclaracion",
    "turnos",
    "primer_mensaje",
    "etiquetas",
]


def _export_record(row: ConversationRow, when: Callable[[float], str]) -> dict:
    return {
        "conversacion": row.sender_id,
        "inicio": when(row.started_at),
        "ultimo_mensaje": when(row.last_at),
        "canal": row.channel or "",
        "cliente": row.customer_code or "",
        "intenciones": " ".join(row.intents),
        "derivaciones": " ".join(f"{h['id']}:{h['canal']}:{h['estado']}" for h in row.handoffs),
        "confianza_minima": None if row.min_confidence is None else round(row.min_confidence, 4),
        "hubo_aclaracion": row.had_fallback,
        "turnos": row.turns,
        "primer_mensaje": row.first_message or "",
        "etiquetas": list(row.tags),
    }


@requires(Permission.CONVERSATIONS)
async def conversation_export(request: web.Request) -> web.StreamResponse:
    ctx = request.app[CONSOLE]
    export_format = request.match_info["formato"]
    try:
        filters = parse_filters(request)
    except FilterError as problem:
        return error_page(request, 400, str(problem))
    await run(ctx.refresh_index)
    mask = masker(request)
    rows = [_masked(row, mask) for row in await run(ctx.conversations.export, filters)]
    when = ctx.templates.filters["fecha"]
    records = [_export_record(row, when) for row in rows]
    user = request["session"].user.username
    await run(
        ctx.accounts.audit,
        user,
        "exportar_conversaciones",
        formato=export_format,
        filas=len(records),
        filtros={k: v for k, v in request.query.items() if k in FILTER_FIELDS and v},
    )
    headers = {"Content-Disposition": f'attachment; filename="conversaciones.{export_format}"'}
    if export_format == "json":
        body = json.dumps(records, ensure_ascii=False, indent=1)
        return web.Response(text=body, content_type="application/json", charset="utf-8", headers=headers)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for record in records:
        writer.writerow([csv_cell(record[column]) for column in EXPORT_COLUMNS])
    # The BOM lets Excel open the accents correctly.
    return web.Response(text="\ufeff" + buffer.getvalue(), content_type="text/csv", charset="utf-8", headers=headers)


@requires(Permission.CONVERSATIONS)
async def transcript(request: web.Request) -> web.Response:
    return await _transcript(request, request.match_info["sender_id"])


@requires(Permission.CONVERSATIONS)
async def transcript_of_event(request: web.Request) -> web.Response:
    """The conversation an event belongs to: how readers who see ids masked reach it."""
    event_id = parse_id(request.match_info["event_id"])
    sender_id = None if event_id is None else await run(request.app[CONSOLE].conversations.sender_of, event_id)
    return await _transcript(request, sender_id or "")


async def _transcript(request: web.Request, sender_id: str) -> web.Response:
    ctx = request.app[CONSOLE]
    events = await run(ctx.conversations.events, sender_id) if sender_id else []
    if not events:
        return error_page(request, 404, "No hay ninguna conversación con ese identificador.")
    mask = masker(request)
    items, slots = lines(events, mask)
    handoffs = [(h, mask(h.summary)) for h in await run(ctx.handoffs.of_conversation, sender_id)]
    flagged = await run(ctx.conversations.flagged_event_ids, sender_id)
    pauses = [i["tipo"] for i in items if i["tipo"] in ("pause", "resume")]
    paused = bool(pauses) and pauses[-1] == "pause"
    return render(
        request,
        "conversacion.html",
        conversacion=mask(sender_id),
        lineas=items,
        slots=slots,
        derivaciones=handoffs,
        marcados=flagged,
        en_pausa=paused,
        respuestas=await picker_replies(request, [h for h, _ in handoffs]),
        **await run(annotations_of, ctx, sender_id, mask),
        aviso=notice(request),
        error=notice(request, "error"),
    )


@requires(Permission.CONVERSATIONS)
async def flag_message(request: web.Request) -> web.StreamResponse:
    ctx = request.app[CONSOLE]
    form = await request.post()
    event_id = parse_id(request.match_info["event_id"])
    if event_id is None:
        return error_page(request, 400, "Mensaje no encontrado.")
    user = request["session"].user.username
    if not await run(ctx.conversations.flag, event_id, user, str(form.get("nota", ""))):
        return error_page(request, 404, "Solo se pueden marcar mensajes del cliente.")
    await run(ctx.accounts.audit, user, "marcar_mensaje", evento=event_id)
    sender = str(form.get("conversacion", ""))  # as the reader saw it: masked for a trainer
    page = conversation_url(request)(sender, event_id)
    raise web.HTTPSeeOther(f"{page}?aviso={NOTICES['marcado']}#e{event_id}" if sender else "/consola")
