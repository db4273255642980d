"""/consola/analitica: how the assistant is doing in a date range (agents and admins)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from aiohttp import web

from protheus.console.context import CONSOLE
from protheus.console.permissions import Permission
from protheus.console.security import requires
from protheus.console.views import render, run
from protheus.db.analytics import SupportAnalytics

DEFAULT_DAYS = 30


def _day(value: str, fallback: date) -> date | None:
    try:
        return date.fromisoformat(value) if value else fallback
    except ValueError:
        return None


def _epoch(day: date, zone: str) -> float:
    return datetime.combine(day, time.min, ZoneInfo(zone)).timestamp()


@requires(Permission.QUEUE)
async def analytics_page(request: web.Request) -> web.Response:
    ctx = request.app[CONSOLE]
    today = datetime.now(ZoneInfo(ctx.timezone)).date()
    start = _day(request.query.get("desde", "").strip(), today - timedelta(days=DEFAULT_DAYS - 1))
    end = _day(request.query.get("hasta", "").strip(), today)
    if start is None or end is None or start > end:
        error = "Fechas: use AAAA-MM-DD, y «desde» antes de «hasta»."
        return render(request, "analitica.html", status=400, error=error, cifras=None, desde="", hasta="")
    await run(ctx.refresh_index)
    figures = await run(
        SupportAnalytics(ctx.db).figures, _epoch(start, ctx.timezone), _epoch(end + timedelta(days=1), ctx.timezone)
    )
    return render(request, "analitica.html", cifras=figures, error=None, desde=start.isoformat(), hasta=end.isoformat())
