"""Helpers every console page uses: rendering, database work off the event loop, error pages,
masking contact data, and the notices a page shows after a redirect.

Each page declares its own notices with `page_notices("<page>", {...})` and redirects with
`?aviso=<page>.<key>` (or `?error=`); whichever page the redirect lands on shows the text. A
notice may hold counts (`{n}`), also carried in the query: read as whole numbers, never as text.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from string import Formatter
from typing import Any, TypeVar
from urllib.parse import quote

from aiohttp import web

from protheus.common.text import mask_contacts
from protheus.webapp.console.context import CONSOLE
from protheus.webapp.console.permissions import Permission, can

T = TypeVar("T")
_NOTICES: dict[str, str] = {}


async def run(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Database work off the event loop."""
    return await asyncio.to_thread(function, *args, **kwargs)


def render(request: web.Request, template: str, status: int = 200, **values: Any) -> web.Response:
    ctx = request.app[CONSOLE]
    session = request.get("session")
    body = ctx.templates.get_template(template).render(
        usuario=session.user if session else None,
        csrf=session.csrf_token if session else "",
        puede=(lambda permission: session is not None and can(session.user.role, permission)),
        avisos_salud=health_warnings(request),
        presencia=request.get("presence"),
        ruta=request.path,
        **values,
    )
    return web.Response(text=body, status=status, content_type="text/html", charset="utf-8")


def health_warnings(request: web.Request) -> list[str]:
    """The health check's warnings for the banner; their errors only for who may read them."""
    health, session = request.get("health"), request.get("session")
    if health is None:
        return []
    details = session is not None and can(session.user.role, Permission.HEALTH_DETAILS)
    return health.warnings + (health.details if details else [])


def error_page(request: web.Request, status: int, message: str) -> web.Response:
    return render(request, "error.html", status=status, mensaje=message)


def allowed(request: web.Request, permission: Permission) -> bool:
    return can(request["session"].user.role, permission)


def masker(request: web.Request) -> Callable[[str], str]:
    """Contact data stays visible only for roles allowed to see it."""
    return (lambda text: text) if allowed(request, Permission.PERSONAL_DATA) else mask_contacts


def conversation_url(request: web.Request) -> Callable[[str, int], str]:
    """Where a conversation's page is, from its id and any of its events: by its id for roles
    that see contact data, else by the event (an id such as whatsapp:+52… holds a phone)."""
    if allowed(request, Permission.PERSONAL_DATA):
        return lambda sender_id, _event_id: f"/consola/conversaciones/{quote_path(sender_id)}"
    return lambda _sender_id, event_id: f"/consola/conversaciones/evento/{event_id}"


def quote_path(value: str) -> str:
    """One URL path segment (a conversation id may hold any character)."""
    return quote(value, safe="")


def page_notices(page: str, texts: dict[str, str]) -> dict[str, str]:
    """Declare a page's notices; returns each key as the `<page>.<key>` to redirect with."""
    keys = {key: f"{page}.{key}" for key in texts}
    _NOTICES.update({keys[key]: text for key, text in texts.items()})
    return keys


def notice(request: web.Request, parameter: str = "aviso") -> str:
    """The text of the notice a redirect named in the query ('' when none or unknown), its counts
    filled from the query. A count that is not a whole number shows no notice at all: a banner
    holds fixed texts and numbers, never words from a link (they would read as the console's)."""
    text = _NOTICES.get(request.query.get(parameter, ""), "")
    counts = {name: parse_count(request.query.get(name, "")) for _, name, _, _ in Formatter().parse(text) if name}
    if None in counts.values():
        return ""
    return text.format(**counts)


MAX_ID = 2**63 - 1  # the databases' BIGINT: a larger number overflowed into a 500
MAX_COUNT = 10**9  # more than a console page ever counts


def _whole_number(text: str, largest: int) -> int | None:
    """ASCII digits up to `largest`, else None. The length is checked first: Python refuses to
    convert more than 4,300 digits (ValueError, a 500)."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(largest)):
        return None
    number = int(text)
    return number if number <= largest else None


def parse_id(text: str) -> int | None:
    """A row id from the URL: digits within the database's range, else None."""
    return _whole_number(text, MAX_ID)


def parse_count(text: str) -> int | None:
    """A count from the URL (at most MAX_COUNT), else None."""
    return _whole_number(text, MAX_COUNT)
