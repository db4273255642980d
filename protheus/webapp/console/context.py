"""What every console view needs, created once per web app: the stores, Rasa, health, templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
from aiohttp import web

from protheus.common.paths import Project
from protheus.common.settings import (
    DEFAULT_EVENT_QUEUE,
    MAX_AGENT_REPLY,
    agent_idle_minutes,
    chat_session_hours,
    queue_reminder_minutes,
)
from protheus.common.vocabulary import Channel, HandoffStatus, Identification, InputChannel, RunStatus, label_of
from protheus.db.accounts import AccountStore
from protheus.db.annotations import AnnotationStore
from protheus.db.conversations import ConversationStore
from protheus.db.database import Database
from protheus.db.handoffs import HandoffStore
from protheus.db.presence import PresenceStore
from protheus.db.satisfaction import SatisfactionStore
from protheus.db.saved_replies import SavedReplyStore
from protheus.webapp.event_feed import EventFeed
from protheus.webapp.health_monitor import HealthMonitor
from protheus.webapp.queue_reminder import QueueReminder
from protheus.webapp.rasa_client import RasaClient

TEMPLATES = Path(__file__).parent / "templates"


@dataclass
class ConsoleContext:
    db: Database
    accounts: AccountStore
    conversations: ConversationStore
    handoffs: HandoffStore
    saved_replies: SavedReplyStore
    rasa: RasaClient
    health: HealthMonitor
    timezone: str
    templates: jinja2.Environment
    annotations: AnnotationStore
    presence: PresenceStore
    reminder: QueueReminder
    satisfaction: SatisfactionStore
    project: Project = field(default_factory=Project)
    feed: EventFeed | None = None  # with an event broker: the index is fed by the event stream

    @classmethod
    def create(
        cls,
        db_url: str | None,
        rasa_url: str,
        token: str,
        status_file: Path,
        timezone: str,
        broker_url: str = "",
        queue: str = DEFAULT_EVENT_QUEUE,
    ) -> ConsoleContext:
        db = Database(db_url)
        rasa = RasaClient(rasa_url, token)
        conversations = ConversationStore(db)
        feed = EventFeed(broker_url, queue, conversations) if broker_url else None
        return cls(
            db,
            AccountStore(db),
            conversations,
            HandoffStore(db),
            SavedReplyStore(db),
            rasa,
            HealthMonitor(db, rasa, status_file, timezone, feed.state if feed else None),
            timezone,
            make_templates(timezone),
            annotations=AnnotationStore(db),
            presence=PresenceStore(db, agent_idle_minutes() * 60),
            reminder=QueueReminder(
                HandoffStore(db), rasa, queue_reminder_minutes(), session_hours=chat_session_hours()
            ),
            satisfaction=SatisfactionStore(db),
            feed=feed,
        )

    def refresh_index(self) -> int:
        """Before a page reads the index: the embedded feed runs now; the event feed needs nothing."""
        return 0 if self.feed is not None else self.conversations.sync()


CONSOLE = web.AppKey("console", ConsoleContext)


def make_templates(timezone: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    zone = ZoneInfo(timezone)

    def when(timestamp: float | None) -> str:
        return datetime.fromtimestamp(timestamp, zone).strftime("%d/%m/%Y %H:%M:%S") if timestamp else "—"

    def percent(value: float | None) -> str:
        return "—" if value is None else f"{value * 100:.0f} %"

    def age(moment: datetime | None) -> str:
        if moment is None:
            return "—"
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo("UTC"))
        minutes = int((datetime.now(zone) - moment).total_seconds() // 60)
        if minutes < 60:
            return f"{minutes} min"
        hours, minutes = divmod(minutes, 60)
        return f"{hours} h {minutes} min" if hours < 48 else f"{hours // 24} días"

    env.filters.update(
        fecha=when,
        porcentaje=percent,
        antiguedad=age,
        canal=lambda c: label_of(Channel, c),
        entrada=lambda c: label_of(InputChannel, c),
        estado=lambda s: label_of(HandoffStatus, s),
        identificacion=lambda i: label_of(Identification, i or Identification.UNVERIFIED),
        corrida=lambda s: label_of(RunStatus, s),
        minutos=lambda seconds: "—" if seconds is None else f"{seconds / 60:.0f} min",
    )
    env.globals.update(timezone=timezone, Estado=HandoffStatus, max_respuesta=MAX_AGENT_REPLY)
    return env
