"""In a real browser: a writer writes and submits a story, an editor approves it, readers see it.

Playwright drives Debian's Chromium (/usr/bin/chromium; never `playwright install`).
Screenshots of each step are kept in test-artifacts/browser-editorial/.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from news.models import ArticlePage

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
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "browser-editorial"
HEADLINE = "Lighthouse keeper retires after forty years"
BODY = "Ada Moss kept the light on the point through 14,000 nights."

pytestmark = [
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
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=BROWSER, args=BROWSER_ARGS)
        yield browser
        browser.close()


def log_in(browser, live_server, user):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", f"{user.username}-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def shoot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_writer_submits_editor_approves_and_readers_see_the_story(
    browser, live_server, settings, section, writer, editor
):
    # Autosave would create the page while the test is still typing and race the submit.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    try:
        article = writer_writes_and_submits(browser, live_server, section, writer)
        assert article.editorial_status == "in_review"
        assert not article.live

        editor_approves(browser, live_server, editor)
        article = ArticlePage.objects.get(pk=article.pk)
        assert article.live
        assert article.editorial_status == "published"

        page = browser.contexts[-1].pages[-1]
        page.goto(f"{live_server.url}{article.url}")
        shoot(page, "5-reader-sees-story")
        assert page.locator("h1").first.inner_text() == HEADLINE
        assert BODY in page.content()
    finally:
        # Under Playwright's sync API the test's ORM calls get their own connection
        # (asgiref's context-local); close it so the test database can be dropped.
        connections.close_all()


def writer_writes_and_submits(browser, live_server, section, writer):
    page = log_in(browser, live_server, writer)
    page.goto(f"{live_server.url}/admin/pages/add/news/articlepage/{section.pk}/")
    page.fill("#id_title", HEADLINE)
    page.locator("[data-streamfield-stream-container] button[title='Insert a block']").first.click()
    page.get_by_role("option", name="Paragraph").click()
    page.locator(".Draftail-Editor [contenteditable=true]").first.click()
    page.keyboard.type(BODY)
    # Draftail copies its content to the form's hidden input a moment after typing stops.
    page.wait_for_function(
        "text => [...document.querySelectorAll('input[name^=body-][name$=-value]')]"
        ".some(input => input.value.includes(text))",
        arg="Ada Moss",
    )
    shoot(page, "1-writer-writes")
    page.locator("[data-w-dropdown-target='toggle']").last.click()
    page.locator("button[name='action-submit']").click()
    page.wait_for_url(f"{live_server.url}/admin/pages/{section.pk}/")
    shoot(page, "2-writer-submitted")
    assert "created and submitted for moderation" in page.locator(".messages").inner_text()
    return ArticlePage.objects.get(title=HEADLINE)


def editor_approves(browser, live_server, editor):
    page = log_in(browser, live_server, editor)
    row = page.locator("tr", has_text=HEADLINE)
    shoot(page, "3-editor-review-queue")
    row.locator("[data-w-dropdown-target='toggle']").click()
    # Approving posts the task action and reloads the dashboard.
    with page.expect_navigation():
        page.get_by_role("button", name="Approve", exact=True).click()
    shoot(page, "4-editor-approved")
    assert page.locator("tr", has_text=HEADLINE).count() == 0  # gone from the queue
