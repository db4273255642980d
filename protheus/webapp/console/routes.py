"""/consola routes and /salud, added to the web app."""

from __future__ import annotations

import json

from aiohttp import web

from protheus.support.health import Health
from protheus.webapp.console import (
    analytics,
    conversations,
    inbox,
    live,
    models,
    presence,
    queue,
    saved_replies,
    security,
    users,
)
from protheus.webapp.console.annotations import add_note, tag_conversation
from protheus.webapp.console.context import CONSOLE, ConsoleContext
from protheus.webapp.console.permissions import Permission, can
from protheus.webapp.console.security import requires


async def home(request: web.Request) -> web.StreamResponse:
    role = request["session"].user.role
    target = "/consola/cola" if can(role, Permission.QUEUE) else "/consola/conversaciones"
    raise web.HTTPSeeOther(target)


def _health_response(verdict: Health, with_details: bool) -> web.Response:
    return web.json_response(
        verdict.as_json(with_details),
        status=200 if verdict.ok else 503,
        dumps=lambda data: json.dumps(data, ensure_ascii=False),
    )


async def health(request: web.Request) -> web.Response:
    """Public and without details that would help an attacker: what works, what does not."""
    return _health_response(await request.app[CONSOLE].health.check(), with_details=False)


@requires(Permission.HEALTH_DETAILS)
async def health_details(request: web.Request) -> web.Response:
    """/salud with the errors behind its warnings, for admins (the console's session cookie is
    sent only under /consola)."""
    return _health_response(request["health"], with_details=True)


def setup(app: web.Application, ctx: ConsoleContext) -> None:
    app[CONSOLE] = ctx
    live.setup(app, ctx)
    app.middlewares.append(security.console_security)
    add = app.router.add_route
    add("GET", "/salud", health)
    add("GET", "/consola/salud", health_details)
    add("GET", "/consola", home)
    add("GET", "/consola/entrar", security.login_page)
    add("POST", "/consola/entrar", security.login)
    add("POST", "/consola/salir", security.logout)
    add("GET", "/consola/conversaciones", conversations.conversation_list)
    add("GET", "/consola/conversaciones/exportar.{formato:csv|json}", conversations.conversation_export)
    add("GET", "/consola/conversaciones/evento/{event_id}", conversations.transcript_of_event)
    add("GET", "/consola/conversaciones/{sender_id}", conversations.transcript)
    add("POST", "/consola/conversaciones/{sender_id}/etiquetas", tag_conversation)
    add("POST", "/consola/conversaciones/{sender_id}/notas", add_note)
    add("POST", "/consola/mensajes/{event_id}/marcar", conversations.flag_message)
    add("GET", "/consola/cola", queue.queue_page)
    add("POST", "/consola/disponibilidad", presence.set_presence)
    add("GET", "/consola/eventos", live.live_events)
    add("POST", "/consola/derivaciones/{handoff_id}/escribiendo", queue.typing)
    add("GET", "/consola/analitica", analytics.analytics_page)
    add("GET", "/consola/analitica.csv", analytics.analytics_csv)
    add("POST", "/consola/derivaciones/{handoff_id}/tomar", queue.take)
    add("POST", "/consola/derivaciones/{handoff_id}/responder", queue.reply)
    add("POST", "/consola/derivaciones/{handoff_id}/cerrar", queue.close)
    add("GET", "/consola/usuarios", users.users_page)
    add("POST", "/consola/usuarios", users.create_user)
    add("POST", "/consola/usuarios/{user_id}", users.update_user)
    add("GET", "/consola/respuestas", saved_replies.saved_replies_page)
    add("POST", "/consola/respuestas", saved_replies.create_reply)
    add("POST", "/consola/respuestas/{reply_id}", saved_replies.change_reply)
    add("GET", "/consola/entrenamiento", inbox.inbox_page)
    add("POST", "/consola/entrenamiento/bandeja", inbox.inbox_decide)
    add("GET", "/consola/entrenamiento/modelos", models.models_page)
    add("POST", "/consola/entrenamiento/entrenar", models.start_training)
    add("POST", "/consola/entrenamiento/revertir", models.rollback_model)
    add("GET", "/consola/entrenamiento/modelos/{name}", models.model_page)
    add("POST", "/consola/entrenamiento/modelos/{name}/activar", models.activate_model)
    add("GET", "/consola/entrenamiento/matrices/{file}", models.confusion_image)
