"""Service hours: the guideline's Prime hours (Monday to Friday 08:00-18:00, Mexico City time,
whatever the caller's zone) and the live agents' hours read from a setting."""

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from protheus.common.service_hours import PRIME_HOURS, HoursError, ServiceHours

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
    assert PRIME_HOURS.within(moment) is inside


def test_next_opening_skips_the_weekend():
    friday_night = datetime(2026, 11, 27, 20, 0, tzinfo=MX)
    assert PRIME_HOURS.next_opening(friday_night) == datetime(2026, 11, 30, 8, 0, tzinfo=MX)


def test_next_opening_same_day_before_eight():
    early = datetime(2026, 11, 24, 6, 15, tzinfo=MX)
    assert PRIME_HOURS.next_opening(early) == datetime(2026, 11, 24, 8, 0, tzinfo=MX)


def test_description_is_spanish():
    assert (
        PRIME_HOURS.describe_moment(datetime(2026, 11, 30, 8, 0, tzinfo=MX))
        == "el lunes 30 de noviembre a las 08:00 (hora de Ciudad de México)"
    )


def test_naive_time_is_refused():
    with pytest.raises(ValueError):
        PRIME_HOURS.within(datetime(2026, 11, 24, 9, 0))


def test_the_guideline_hours_described_in_spanish():
    assert PRIME_HOURS.describe() == "de lunes a viernes, de 08:00 a 18:00 (hora de Ciudad de México)"


def test_hours_from_a_setting_in_another_zone():
    hours = ServiceHours.parse("lun-sáb 09:30-13:00", "America/Bogota")
    saturday_noon = datetime(2026, 11, 28, 12, 0, tzinfo=ZoneInfo("America/Bogota"))
    assert hours.within(saturday_noon)
    assert not hours.within(saturday_noon.replace(hour=13))
    assert hours.describe() == "de lunes a sábado, de 09:30 a 13:00 (hora de America/Bogota)"
    assert hours.next_opening(saturday_noon.replace(hour=14)) == datetime(
        2026, 11, 30, 9, 30, tzinfo=ZoneInfo("America/Bogota")
    )


@pytest.mark.parametrize(
    "spec, zone",
    [("todo el día", "America/Mexico_City"), ("lun-vie 18:00-08:00", "UTC"), ("lun-vie 08:00-18:00", "Marte/Olimpo")],
)
def test_bad_hours_are_refused_in_spanish(spec, zone):
    with pytest.raises(HoursError, match="Horario no válido"):
        ServiceHours.parse(spec, zone)
