"""«Disponible» / «ausente»: agents say whether they can take live-agent hand-offs now.

Every console request by an agent counts as activity (protheus.db.presence marks an idle agent
«ausente»); the bot pauses a conversation for a person only while someone is available within
the agents' hours (AGENT_HOURS), and otherwise offers the queue or the Portal.
"""

from __future__ import annotations

from aiohttp import web

from protheus.webapp.console.context import CONSOLE
from protheus.webapp.console.permissions import Permission
from protheus.webapp.console.security import requires, safe_next
from protheus.webapp.console.views import page_notices, run

NOTICES = page_notices(
    "presencia",
    {
        "disponible": "Está «disponible»: los clientes que pidan un agente pasarán a la cola y esperarán su respuesta.",
        "ausente": "Está «ausente»: a los clientes que pidan un agente se les ofrecerá dejar la solicitud en la cola.",
    },
)
AVAILABLE, ABSENT = "disponible", "ausente"


@requires(Permission.QUEUE)
async def set_presence(request: web.Request) -> web.StreamResponse:
    ctx = request.app[CONSOLE]
    form = await request.post()
    wanted = str(form.get("estado", ""))
    if wanted not in (AVAILABLE, ABSENT):
        wanted = ABSENT
    user = request["session"].user.username
    await run(ctx.presence.set_available, user, wanted == AVAILABLE)
    await run(ctx.accounts.audit, user, "cambiar_disponibilidad", estado=wanted)
    target = safe_next(str(form.get("siguiente", "")) or "/consola/cola").split("?")[0]
    raise web.HTTPSeeOther(f"{target}?aviso={NOTICES[wanted]}")
