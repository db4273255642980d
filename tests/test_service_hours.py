"""Prime hours: Monday to Friday 08:00-18:00, Mexico City time, whatever the caller's zone."""

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from protheus.prime_hours import describe, next_opening, within_prime_hours

MX = ZoneInfo("America/Mexico_City")


@pytest.mark.parametrize(
    "moment, inside",
    [
        (datetime(2026, 11, 23, 8, 0, tzinfo=MX), True),  # Monday opening minute
        (datetime(2026, 11, 23, 7, 59, tzinfo=MX), False),
        (datetime(2026, 11, 27, 17, 59, tzinfo=MX), True),  # Friday last minute
        (datetime(2026, 11, 27, 18, 0, tzinfo=MX), False),
        (datetime(2026, 11, 28, 11, 0, tzinfo=MX), False),  # Saturday
        (datetime(2026, 11, 24, 15, 30, tzinfo=timezone.utc), True),  # 09:30 in Mexico
        (datetime(2026, 11, 25, 1, 0, tzinfo=timezone.utc), False),  # 19:00 the day before
    ],
)
def test_within_prime_hours(moment, inside):
    assert within_prime_hours(moment) is inside


def test_next_opening_skips_the_weekend():
    friday_night = datetime(2026, 11, 27, 20, 0, tzinfo=MX)
    assert next_opening(friday_night) == datetime(2026, 11, 30, 8, 0, tzinfo=MX)


def test_next_opening_same_day_before_eight():
    early = datetime(2026, 11, 24, 6, 15, tzinfo=MX)
    assert next_opening(early) == datetime(2026, 11, 24, 8, 0, tzinfo=MX)


def test_description_is_spanish():
    assert (
        describe(datetime(2026, 11, 30, 8, 0, tzinfo=MX))
        == "el lunes 30 de noviembre a las 08:00 (hora de Ciudad de México)"
    )


def test_naive_time_is_refused():
    with pytest.raises(ValueError):
        within_prime_hours(datetime(2026, 11, 24, 9, 0))
