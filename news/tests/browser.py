"""The browser tests' Playwright setup: their marks, the `browser` fixture, sign-in, screenshots.

Playwright drives Debian's Chromium (/usr/bin/chromium; never `playwright install`) against
pytest-django's live server. A browser test module sets `pytestmark = BROWSER_TEST`; the
fixture is the project's through `pytest_plugins` in the root conftest.py. Screenshots go to
test-artifacts/<folder>/ (`screenshots`).
"""

import os
from pathlib import Path

import pytest
from django.db import connections

BROWSER = "/usr/bin/chromium"
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# The live server answers from another thread, so the test's data must be committed: a
# transactional database, flushed afterwards (serialized_rollback restores the data
# migrations' rows, such as the newsroom groups).
BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not os.path.exists(BROWSER),
        reason="browser test skipped: install Debian's chromium: apt-get install chromium",
    ),
]


@pytest.fixture
def browser(live_server, monkeypatch):
    """Debian's Chromium, closed before the live server stops (so no request is cut off)."""
    sync_api = pytest.importorskip(
        "playwright.sync_api",
        reason="browser test skipped: install the test extras: pip install -e '.[test]'",
    )
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # test itself are still synchronous, one at a time.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=BROWSER, args=BROWSER_ARGS)
        yield browser
        # Under Playwright's sync API the test's ORM calls get their own connection
        # (asgiref's context-local); close it so the test database can be flushed and dropped.
        connections.close_all()
        browser.close()


def log_in(browser, live_server, user):
    """A new browser context signed in to the admin as `user` (password "<username>-password",
    as the newsroom_user fixture sets it); returns its page, on the dashboard."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", f"{user.username}-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def screenshots(folder):
    """shoot(page, name): keeps a full-page screenshot as test-artifacts/<folder>/<name>.png."""
    from django.conf import settings

    def shoot(page, name):
        path = Path(settings.BASE_DIR) / "test-artifacts" / folder
        path.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path / f"{name}.png"), full_page=True)

    return shoot
