"""/consola/analitica: how the assistant is doing in a date range (agents and admins).

Every figure is shown three ways from one `Chart`: a bar chart drawn on the server (SVG, so
no script and nothing from outside), its table, and its CSV (/consola/analitica.csv?tabla=).
Labels may be what customers wrote (the least-sure messages, tags): Jinja escapes them in the
SVG and the table, and csv_cell neutralises formulas in the CSV.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from aiohttp import web

from protheus.common.messages import survey_texts
from protheus.common.text import csv_cell
from protheus.common.vocabulary import AttendedBy, Channel, Question, label_of
from protheus.db.analytics import SupportAnalytics, SupportFigures
from protheus.db.annotations import AnnotationError, normalise_tag
from protheus.webapp.console.context import CONSOLE
from protheus.webapp.console.dates import MAX_DAYS, DateError, parse_range
from protheus.webapp.console.permissions import Permission
from protheus.webapp.console.security import requires
from protheus.webapp.console.views import masker, render, run

DEFAULT_DAYS = 30
TABLE_ERROR = "Esa tabla no existe en la analítica."


@dataclass(frozen=True)
class Row:
    label: str
    values: list[float]
    link: str | None = None  # the transcript, for rows that are one conversation


@dataclass(frozen=True)
class Chart:
    key: str  # the CSV's ?tabla=
    title: str
    label: str  # what the rows are
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    percent: bool = False  # values are shares (0-100)

    @property
    def top(self) -> float:
        return max([v for row in self.rows for v in row.values] + [0]) or 1


def _epoch(day: date, zone: str) -> float:
    return datetime.combine(day, time.min, ZoneInfo(zone)).timestamp()


def _range(request: web.Request) -> tuple[date, date]:
    """The days asked (the last DEFAULT_DAYS by default); DateError when they cannot be."""
    today = datetime.now(ZoneInfo(request.app[CONSOLE].timezone)).date()
    return parse_range(request.query, today - timedelta(days=DEFAULT_DAYS - 1), today, MAX_DAYS)


def _tag(request: web.Request) -> str | None:
    """The ?etiqueta= filter in its normal form; AnnotationError when it cannot be a tag."""
    text = request.query.get("etiqueta", "").strip()
    return normalise_tag(text) if text else None


async def _figures(request: web.Request, start: date, end: date, tag: str | None) -> SupportFigures:
    ctx = request.app[CONSOLE]
    await run(ctx.refresh_index)
    zone = ctx.timezone
    first, last = _epoch(start, zone), _epoch(end + timedelta(days=1), zone)
    return await run(SupportAnalytics(ctx.db).figures, first, last, zone, tag)


def _minutes(seconds: float | None) -> float:
    return round(seconds / 60, 1) if seconds is not None else 0


def charts(figures: SupportFigures, mask) -> list[Chart]:
    """What the page draws, in its order."""
    names = survey_texts()["puntos"]
    scores = figures.satisfaction
    link = "/consola/conversaciones/"
    return [
        Chart(
            "dias",
            "Conversaciones por día",
            "Día",
            ["Conversaciones", "Derivadas"],
            [Row(day, [n, handed]) for day, n, handed in figures.by_day],
        ),
        Chart(
            "canales",
            "Derivaciones por canal",
            "Canal",
            ["Derivaciones"],
            [Row(label_of(Channel, c), [n]) for c, n in sorted(figures.handoffs_by_channel.items())],
        ),
        Chart(
            "intenciones",
            "Intenciones más frecuentes",
            "Intención",
            ["Conversaciones"],
            [Row(i, [n]) for i, n in figures.top_intents],
        ),
        Chart(
            "satisfaccion",
            "Satisfacción (encuesta): respuestas por calificación",
            "Calificación",
            [AttendedBy.ASSISTANT.label, AttendedBy.AGENT.label],
            [Row(f"{s} · {names[s]}", [scores[k].scores[s] for k in AttendedBy]) for s in sorted(names, reverse=True)],
        ),
        Chart(
            "etiquetas",
            "Etiquetas de los agentes",
            "Etiqueta",
            ["Conversaciones"],
            [Row(t, [n]) for t, n in figures.tags],
        ),
        Chart(
            "dudas",
            "Mensajes en que el asistente estuvo menos seguro",
            "Mensaje",
            ["Confianza (%)"],
            [Row(mask(text), [round(c * 100, 1)], link + quote(s, safe="")) for s, text, c in figures.least_sure],
            percent=True,
        ),
        Chart(
            "respuestas",
            "Respuestas a los formularios que el asistente leyó con menos seguridad",
            "Respuesta (pregunta)",
            ["Seguridad de la lectura (%)"],
            [
                Row(f"{mask(text)} ({label_of(Question, q)})", [round(c * 100, 1)], link + quote(s, safe=""))
                for s, text, q, c in figures.least_sure_answers
            ],
            percent=True,
        ),
        Chart(
            "tiempos",
            "Tiempos de la cola de agentes (minutos)",
            "Medida",
            ["Mediana", "p90"],
            [
                Row(
                    "Espera hasta que un agente la toma",
                    [_minutes(figures.queue_wait.median), _minutes(figures.queue_wait.p90)],
                ),
                Row("Hasta cerrar", [_minutes(figures.time_to_close.median), _minutes(figures.time_to_close.p90)]),
            ],
        ),
    ]


def summary(figures: SupportFigures) -> Chart:
    def share(value: float | None) -> float:
        return round(value * 100, 1) if value is not None else 0

    scores = figures.satisfaction
    return Chart(
        "resumen",
        "Resumen",
        "Cifra",
        ["Valor"],
        [
            Row("Conversaciones", [figures.conversations]),
            Row("Resueltas sin derivar (contención, %)", [share(figures.containment)]),
            Row("Con pregunta de aclaración (%)", [share(figures.fallback_rate)]),
            Row("Encuestas enviadas", [figures.surveys_asked]),
            Row(
                f"Calificación media: {AttendedBy.ASSISTANT.label}",
                [round(scores[AttendedBy.ASSISTANT].average or 0, 2)],
            ),
            Row(f"Calificación media: {AttendedBy.AGENT.label}", [round(scores[AttendedBy.AGENT].average or 0, 2)]),
        ],
    )


def _refused(request: web.Request, error: str) -> web.Response:
    return render(
        request,
        "analitica.html",
        status=400,
        error=error,
        cifras=None,
        graficos=[],
        desde="",
        hasta="",
        etiqueta="",
        etiquetas=[],
        consulta="",
    )


@requires(Permission.QUEUE)
async def analytics_page(request: web.Request) -> web.Response:
    try:
        found = _range(request)
    except DateError as error:
        return _refused(request, str(error))
    try:
        tag = _tag(request)
    except AnnotationError as error:
        return _refused(request, f"Etiqueta: {error}")
    figures = await _figures(request, *found, tag)
    desde, hasta = (d.isoformat() for d in found)
    known = [name for name, _ in await run(request.app[CONSOLE].annotations.known_tags)]
    query = urlencode({"desde": desde, "hasta": hasta, **({"etiqueta": tag} if tag else {})})
    return render(
        request,
        "analitica.html",
        cifras=figures,
        graficos=charts(figures, masker(request)),
        error=None,
        desde=desde,
        hasta=hasta,
        etiqueta=tag or "",
        etiquetas=known,
        consulta=query,
    )


@requires(Permission.QUEUE)
async def analytics_csv(request: web.Request) -> web.Response:
    """One of the page's tables as CSV (?tabla=, by day unless named)."""
    try:
        found = _range(request)
    except DateError as error:
        return web.Response(status=400, text=str(error), content_type="text/plain", charset="utf-8")
    try:
        tag = _tag(request)
    except AnnotationError as error:
        return web.Response(status=400, text=f"Etiqueta: {error}", content_type="text/plain", charset="utf-8")
    figures = await _figures(request, *found, tag)
    wanted = request.query.get("tabla", "dias")
    chart = next((c for c in [summary(figures), *charts(figures, masker(request))] if c.key == wanted), None)
    if chart is None:
        return web.Response(status=404, text=TABLE_ERROR, content_type="text/plain", charset="utf-8")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_cell(name) for name in [chart.label, *chart.columns]])
    writer.writerows([[csv_cell(row.label), *row.values] for row in chart.rows])
    name = f"analitica-{wanted}-{found[0].isoformat()}-{found[1].isoformat()}.csv"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return web.Response(text=out.getvalue(), content_type="text/csv", charset="utf-8", headers=headers)
