"""The days a console filter names (?desde=, ?hasta=): the one reader of dates for every page.

ISO days (AAAA-MM-DD) from FIRST_DAY to LAST_DAY: a day's midnight in the console's zone is not
even computable near year 1 or 9999 (it was a 500), and no conversation is that old or new. The
analytics compute their figures day by day, so their range is capped at MAX_DAYS (8,000 years
cost 3.3 s of CPU); the conversation list only filters stored rows and takes any range.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
MAX_DAYS = 400

ERRORS = {
    "formato": "{campo}: use el formato AAAA-MM-DD.",
    "fuera": f"{{campo}}: elija un día entre {FIRST_DAY.isoformat()} y {LAST_DAY.isoformat()}.",
    "orden": "Fechas: «Desde» no puede ser posterior a «Hasta».",
    "largo": "Fechas: elija un rango de hasta {maximo} días (o consulte por partes).",
}
FIELDS = {"desde": "Desde", "hasta": "Hasta"}


class DateError(ValueError):
    """A date filter the console refuses; the message is shown to the user (Spanish)."""


def parse_day(text: str, field: str) -> date | None:
    """The day typed in a filter labelled `field`; None when empty; DateError otherwise."""
    text = text.strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise DateError(ERRORS["formato"].format(campo=field)) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise DateError(ERRORS["fuera"].format(campo=field))
    return day


def parse_days(
    query: Mapping[str, str],
    start: date | None = None,
    end: date | None = None,
    max_days: int | None = None,
) -> tuple[date | None, date | None]:
    """?desde= and ?hasta= (`start` and `end` when absent), in order and, with `max_days`, at most
    that many days long counting both ends; DateError when not."""
    first = parse_day(query.get("desde", ""), FIELDS["desde"]) or start
    last = parse_day(query.get("hasta", ""), FIELDS["hasta"]) or end
    if first and last and first > last:
        raise DateError(ERRORS["orden"])
    if max_days and first and last and (last - first).days >= max_days:
        raise DateError(ERRORS["largo"].format(maximo=max_days))
    return first, last


def parse_range(query: Mapping[str, str], start: date, end: date, max_days: int) -> tuple[date, date]:
    """parse_days for a page that always shows a range (the analytics): `start` and `end` by default."""
    first, last = parse_days(query, start, end, max_days)
    return first or start, last or end
