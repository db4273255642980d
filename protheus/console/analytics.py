"""/consola/analitica: how the assistant is doing in a date range (agents and admins)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from aiohttp import web

from protheus.console.context import CONSOLE
from protheus.console.permissions import Permission
from protheus.console.security import requires
from protheus.console.views import render, run
from protheus.db.analytics import SupportAnalytics, SupportFigures

DEFAULT_DAYS = 30
RANGE_ERROR = "Fechas: use AAAA-MM-DD, y «desde» antes de «hasta»."


def _day(value: str, fallback: date) -> date | None:
    try:
        return date.fromisoformat(value) if value else fallback
    except ValueError:
        return None


def _epoch(day: date, zone: str) -> float:
    return datetime.combine(day, time.min, ZoneInfo(zone)).timestamp()


def _range(request: web.Request) -> tuple[date, date] | None:
    today = datetime.now(ZoneInfo(request.app[CONSOLE].timezone)).date()
    start = _day(request.query.get("desde", "").strip(), today - timedelta(days=DEFAULT_DAYS - 1))
    end = _day(request.query.get("hasta", "").strip(), today)
    return None if start is None or end is None or start > end else (start, end)


async def _figures(request: web.Request, start: date, end: date) -> SupportFigures:
    ctx = request.app[CONSOLE]
    await run(ctx.refresh_index)
    zone = ctx.timezone
    return await run(SupportAnalytics(ctx.db).figures, _epoch(start, zone), _epoch(end + timedelta(days=1), zone), zone)


@requires(Permission.QUEUE)
async def analytics_page(request: web.Request) -> web.Response:
    found = _range(request)
    if found is None:
        return render(request, "analitica.html", status=400, error=RANGE_ERROR, cifras=None, desde="", hasta="")
    figures = await _figures(request, *found)
    desde, hasta = (d.isoformat() for d in found)
    return render(request, "analitica.html", cifras=figures, error=None, desde=desde, hasta=hasta)


@requires(Permission.QUEUE)
async def analytics_csv(request: web.Request) -> web.Response:
    """The figures by day, as CSV (dates and counts only)."""
    found = _range(request)
    if found is None:
        return web.Response(status=400, text=RANGE_ERROR, content_type="text/plain", charset="utf-8")
    figures = await _figures(request, *found)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["dia", "conversaciones", "derivadas"])
    writer.writerows(figures.by_day)
    name = f"analitica-{found[0].isoformat()}-{found[1].isoformat()}.csv"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return web.Response(text=out.getvalue(), content_type="text/csv", charset="utf-8", headers=headers)
