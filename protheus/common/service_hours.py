"""Service hours: when a team attends, in its own time zone, whatever the caller's.

The Prime team's are the guideline's ("Horario de atención, hábil de México (Lunes a viernes
8am-6pm)"); the live agents' are a setting (AGENT_HOURS, AGENT_TIMEZONE) with the same default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_datetime, get_day_names

GUIDELINE_ZONE = "America/Mexico_City"
DAY_NAMES = ("lun", "mar", "mie", "jue", "vie", "sab", "dom")
_SPEC = re.compile(r"^\s*(\w{3})\s*-\s*(\w{3})\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class HoursError(ValueError):
    """A setting that does not name hours; the message says how to write it."""


@dataclass(frozen=True)
class ServiceHours:
    zone: ZoneInfo
    opens: time
    closes: time
    first_day: int = 0  # Monday
    last_day: int = 4  # Friday

    @classmethod
    def parse(cls, spec: str, zone: str = GUIDELINE_ZONE) -> ServiceHours:
        """E.g. "lun-vie 08:00-18:00" in the IANA zone `zone`."""
        found = _SPEC.match(spec.lower().replace("é", "e").replace("á", "a"))
        if not found or found[1] not in DAY_NAMES or found[2] not in DAY_NAMES:
            raise HoursError(f"Horario no válido: {spec!r} (escríbalo como «lun-vie 08:00-18:00»).")
        try:
            opens, closes = time(int(found[3]), int(found[4])), time(int(found[5]), int(found[6]))
            tz = ZoneInfo(zone)
        except (ValueError, ZoneInfoNotFoundError) as error:
            raise HoursError(f"Horario no válido: {spec!r} en la zona {zone!r}.") from error
        if opens >= closes:
            raise HoursError(f"Horario no válido: {spec!r} (la apertura debe ser antes del cierre).")
        return cls(tz, opens, closes, DAY_NAMES.index(found[1]), DAY_NAMES.index(found[2]))

    def _local(self, now: datetime) -> datetime:
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        return now.astimezone(self.zone)

    def _workday(self, day: int) -> bool:
        return self.first_day <= day <= self.last_day

    def within(self, now: datetime) -> bool:
        local = self._local(now)
        return self._workday(local.weekday()) and self.opens <= local.time() < self.closes

    def next_opening(self, now: datetime) -> datetime:
        """The next moment the team starts attending (in its zone)."""
        local = self._local(now)
        day = local.date()
        if self._workday(local.weekday()) and local.time() < self.opens:
            return datetime.combine(day, self.opens, self.zone)
        day += timedelta(days=1)
        while not self._workday(day.weekday()):
            day += timedelta(days=1)
        return datetime.combine(day, self.opens, self.zone)

    def zone_name(self) -> str:
        """«hora de Ciudad de México» for the guideline's zone; the IANA name otherwise."""
        key = str(self.zone)
        return "hora de Ciudad de México" if key == GUIDELINE_ZONE else f"hora de {key}"

    def describe_moment(self, moment: datetime) -> str:
        """E.g. 'el lunes 30 de noviembre a las 08:00 (hora de Ciudad de México)'."""
        text = format_datetime(moment.astimezone(self.zone), "EEEE d 'de' MMMM 'a las' HH:mm", locale="es")
        return f"el {text} ({self.zone_name()})"

    def describe(self) -> str:
        """E.g. 'de lunes a viernes, de 08:00 a 18:00 (hora de Ciudad de México)'."""
        names = get_day_names("wide", locale="es")
        return (
            f"de {names[self.first_day]} a {names[self.last_day]}, de {self.opens:%H:%M} a "
            f"{self.closes:%H:%M} ({self.zone_name()})"
        )


PRIME_HOURS = ServiceHours.parse("lun-vie 08:00-18:00", GUIDELINE_ZONE)
