"""Dates in the console's filters (issue 24, point 9): one reader for every page, ISO days within
2000-2100, a range of analytics at most MAX_DAYS long; anything else a Spanish 400, never a 500."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protheus.webapp.console.dates import FIRST_DAY, LAST_DAY, MAX_DAYS, DateError, parse_day, parse_days
from tests.webapp.console.conftest import USERS
from tests.webapp.console.console_client import console, run

DATED_PAGES = (
    "/consola/analitica",
    "/consola/analitica.csv",
    "/consola/conversaciones",
    "/consola/conversaciones/exportar.csv",
    "/consola/conversaciones/exportar.json",
)


def test_days_outside_the_sane_range_are_a_spanish_400_on_every_dated_page(db, status_file, chats):
    """Issue 24, finding 10: ?desde=0001-01-01&hasta=9999-12-31 was a 500 (and 3.3 s of CPU)."""

    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("jefa")
            for query, said in (
                ("desde=0001-01-01&hasta=9999-12-31", "entre 2000-01-01 y 2100-12-31"),
                ("desde=2026-01-01&hasta=9999-12-31", "entre 2000-01-01 y 2100-12-31"),
                ("desde=0001-01-01", "entre 2000-01-01 y 2100-12-31"),
                ("hasta=1999-12-31", "entre 2000-01-01 y 2100-12-31"),
                ("desde=2026-13-01", "use el formato AAAA-MM-DD"),
                ("desde=2026-11-25&hasta=2026-11-24", "«Desde» no puede ser posterior a «Hasta»"),
            ):
                for path in DATED_PAGES:
                    status, body = await c.get(f"{path}?{query}")
                    assert (status, said in body) == (400, True), (path, query, status, body[-300:])

    run(scenario)


def test_the_analytics_range_is_capped_and_says_so(db, status_file):
    last = date(2026, 11, 25)
    longest = f"desde={last - timedelta(days=MAX_DAYS - 1)}&hasta={last}"
    too_long = f"desde={last - timedelta(days=MAX_DAYS)}&hasta={last}"

    async def scenario():
        async with console(db, status_file, USERS) as c:
            await c.login("ana")
            for path in ("/consola/analitica", "/consola/analitica.csv"):
                assert (await c.get(f"{path}?{longest}"))[0] == 200, path
                status, body = await c.get(f"{path}?{too_long}")
                assert status == 400 and f"hasta {MAX_DAYS} días" in body, path
            # The list filters stored rows, whatever the range: any span within the years is fine.
            assert (await c.get("/consola/conversaciones?desde=2000-01-01&hasta=2100-12-31"))[0] == 200

    run(scenario)


@pytest.mark.parametrize("text", ["", "  "])
def test_an_empty_day_is_no_filter(text):
    assert parse_day(text, "Desde") is None and parse_days({"desde": text}) == (None, None)


def test_the_first_and_last_days_are_accepted():
    assert parse_days({"desde": " 2000-01-01 ", "hasta": "2100-12-31"}) == (FIRST_DAY, LAST_DAY)


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(
    start=st.text(max_size=12) | st.dates().map(date.isoformat),
    end=st.text(max_size=12) | st.dates().map(date.isoformat),
    capped=st.booleans(),
)
def test_any_text_is_a_day_in_range_or_a_spanish_refusal(start, end, capped):
    """What the fuzz would send: a pair of days within the years, in order (and within the cap), or DateError."""
    try:
        first, last = parse_days({"desde": start, "hasta": end}, max_days=MAX_DAYS if capped else None)
    except DateError as error:
        assert str(error).split(":")[0] in ("Desde", "Hasta", "Fechas")
        return
    for day in (first, last):
        assert day is None or FIRST_DAY <= day <= LAST_DAY
    if first and last:
        assert first <= last and (not capped or (last - first).days < MAX_DAYS)
