"""Trainer pages. For now: the customer messages agents marked for review."""
from __future__ import annotations

from aiohttp import web

from protheus.console.context import CONSOLE, render, run
from protheus.console.security import requires
from protheus.text import mask_contacts


@requires("entrenamiento")
async def flagged_messages(request: web.Request) -> web.Response:
    ctx = request.app[CONSOLE]
    await run(ctx.conversations.sync)
    flags = await run(ctx.conversations.flags)
    for flag in flags:  # trainers never need contact data
        flag["text"] = mask_contacts(flag["text"])
    return render(request, "entrenamiento.html", marcados=flags)
