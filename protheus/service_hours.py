"""Prime team hours: "Horario de atención, hábil de México (Lunes a viernes 8am-6pm)"."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

PRIME_TZ = ZoneInfo("America/Mexico_City")
OPENS, CLOSES = time(8, 0), time(18, 0)
WORKDAYS = range(0, 5)  # Monday..Friday


def _local(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(PRIME_TZ)


def within_prime_hours(now: datetime) -> bool:
    local = _local(now)
    return local.weekday() in WORKDAYS and OPENS <= local.time() < CLOSES


def next_opening(now: datetime) -> datetime:
    """The next moment the Prime team starts attending (Mexico City time)."""
    local = _local(now)
    day = local.date()
    if local.weekday() in WORKDAYS and local.time() < OPENS:
        return datetime.combine(day, OPENS, PRIME_TZ)
    day += timedelta(days=1)
    while day.weekday() not in WORKDAYS:
        day += timedelta(days=1)
    return datetime.combine(day, OPENS, PRIME_TZ)


def describe(moment: datetime) -> str:
    """E.g. 'el lunes 30 de noviembre a las 08:00 (hora de Ciudad de México)'."""
    text = format_datetime(moment.astimezone(PRIME_TZ), "EEEE d 'de' MMMM 'a las' HH:mm", locale="es")
    return f"el {text} (hora de Ciudad de México)"
