"""What every console view needs, created once per web app."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Optional, TypeVar
from zoneinfo import ZoneInfo

import jinja2
from aiohttp import web

from protheus.db.accounts import AccountStore
from protheus.db.conversations import ConversationStore
from protheus.db.database import Database
from protheus.db.handoffs import HandoffStore
from protheus.health import HealthMonitor
from protheus.rasa_client import RasaClient
from protheus.paths import Project
from protheus.vocabulary import Channel, HandoffStatus, InputChannel, Role, RunStatus, label_of

TEMPLATES = Path(__file__).parent / "templates"
T = TypeVar("T")


@dataclass
class ConsoleContext:
    db: Database
    accounts: AccountStore
    conversations: ConversationStore
    handoffs: HandoffStore
    rasa: RasaClient
    health: HealthMonitor
    timezone: str
    templates: jinja2.Environment
    project: Project = field(default_factory=Project)

    @classmethod
    def create(cls, db_url: Optional[str], rasa_url: str, token: str, status_file: Path, timezone: str) -> "ConsoleContext":
        db = Database(db_url)
        rasa = RasaClient(rasa_url, token)
        return cls(db, AccountStore(db), ConversationStore(db), HandoffStore(db), rasa,
                   HealthMonitor(db, rasa, status_file, timezone), timezone, make_templates(timezone))


CONSOLE = web.AppKey("console", ConsoleContext)


async def run(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Database work off the event loop."""
    return await asyncio.to_thread(function, *args, **kwargs)


def make_templates(timezone: str) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    zone = ZoneInfo(timezone)

    def when(timestamp: Optional[float]) -> str:
        return datetime.fromtimestamp(timestamp, zone).strftime("%d/%m/%Y %H:%M:%S") if timestamp else "—"

    def percent(value: Optional[float]) -> str:
        return "—" if value is None else f"{value * 100:.0f} %"

    def age(moment: Optional[datetime]) -> str:
        if moment is None:
            return "—"
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo("UTC"))
        minutes = int((datetime.now(zone) - moment).total_seconds() // 60)
        if minutes < 60:
            return f"{minutes} min"
        hours, minutes = divmod(minutes, 60)
        return f"{hours} h {minutes} min" if hours < 48 else f"{hours // 24} días"

    env.filters.update(fecha=when, porcentaje=percent, antiguedad=age,
                       canal=lambda c: label_of(Channel, c), entrada=lambda c: label_of(InputChannel, c),
                       estado=lambda s: label_of(HandoffStatus, s), corrida=lambda s: label_of(RunStatus, s))
    env.globals.update(timezone=timezone, Estado=HandoffStatus)
    return env


def render(request: web.Request, template: str, status: int = 200, **values: Any) -> web.Response:
    ctx = request.app[CONSOLE]
    session = request.get("session")
    body = ctx.templates.get_template(template).render(
        usuario=session.user if session else None, csrf=session.csrf_token if session else "",
        puede=(lambda permission: session is not None and can(session.user.role, permission)),
        avisos_salud=request.get("health_warnings", []), ruta=request.path, **values)
    return web.Response(text=body, status=status, content_type="text/html", charset="utf-8")


# Who may do what. agente: conversations and the queue; entrenador: conversations (contact
# data masked) and the trainer pages; admin: everything, and users.
PERMISSIONS = {
    Role.AGENT: {"conversaciones", "cola", "datos_personales"},
    Role.TRAINER: {"conversaciones", "entrenamiento"},
    Role.ADMIN: {"conversaciones", "cola", "datos_personales", "entrenamiento", "usuarios"},
}


def can(role: str, permission: str) -> bool:
    term = Role.parse(role)  # enum members hash by name: look up by the member, not its value
    return term is not None and permission in PERMISSIONS[term]
