"""Headless Chromium (Debian's package) driving the support page against the real bot."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.server_fixture import TEST_PORTS

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
# As the machine notes require: no background networking on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def page_url(bot):
    """The bot's web app (it also serves the model to Rasa)."""
    return f"http://localhost:{TEST_PORTS.web}/"


# Module scope: Playwright's sync API keeps an event loop running while it is open,
# which would break later tests that call asyncio.run().
@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        message = f"No está Chromium en {CHROMIUM} (make test lo instala con apt-get)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser, url: str, **context_options):
    """A fresh browser context on the page; fails the test if the page throws a script error."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    yield page
    context.close()
    assert errors == [], f"errores de JavaScript en la página: {errors}"


@pytest.fixture
def page(browser, page_url):
    yield from open_page(browser, page_url, viewport={"width": 1000, "height": 800})


@pytest.fixture
def phone_page(browser, page_url):
    """A 360 px wide phone screen."""
    yield from open_page(browser, page_url, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def accessibility_violations(page) -> list:
    """WCAG 2.1 A/AA violations found by axe-core (installed by npm ci) in the page as it is."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Through the DevTools protocol: the page's CSP (rightly) refuses injected script tags.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})")
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
