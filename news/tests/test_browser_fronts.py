"""In a real browser: an editor arranges the front page and sets the breaking-news banner.

Screenshots of each step are kept in test-artifacts/browser-editorial/.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from home.models import HomePage
from news.models import BreakingNews
from news.tests.browser import BROWSER_TEST, log_in, screenshots
from news.tests.factories import at, make_article

pytestmark = BROWSER_TEST
shoot = screenshots("browser-editorial")

LEAD = "Harbour reopens after the storm"
TOP = "Ferries resume to the islands"
BANNER = "Storm closes the coast road"


def choose_page(page, opener, title):
    """Open a page chooser with `opener` and pick the story titled `title` by searching."""
    opener.click()
    modal = page.locator(".modal")
    modal.locator("input[name=q]").fill(title)
    modal.locator("a.choose-page", has_text=title).first.click()
    page.locator(".modal").wait_for(state="hidden")


@pytest.fixture
def stories(section):
    make_article(section, "Newest wire copy", published_at=at(2026, 3, 3))
    return [
        make_article(section, LEAD, published_at=at(2026, 1, 1)),
        make_article(section, TOP, published_at=at(2026, 1, 2)),
    ]


def test_an_editor_arranges_the_front_and_a_second_editor_puts_it_live(
    browser,
    live_server,
    settings,
    home_page,
    stories,
    editor,
    second_editor,
):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    page = log_in(browser, live_server, editor)
    page.goto(f"{live_server.url}/admin/pages/{home_page.pk}/edit/")
    choose_page(page, page.locator("[data-chooser-action-choose]").first, LEAD)
    page.locator("#id_front_stories-ADD").click()
    choose_page(
        page, page.locator("#inline_child_front_stories-0 [data-chooser-action-choose]"), TOP
    )
    shoot(page, "fronts-1-editor-arranges")
    # Four eyes: the editor who arranges a front may submit it, not publish it.
    page.locator("footer [data-w-dropdown-target='toggle']").last.click()
    assert page.locator("footer button[name='action-publish']").count() == 0
    with page.expect_navigation():
        page.locator("button[name='action-submit']").click()
    home = HomePage.objects.get(pk=home_page.pk)
    draft = home.get_latest_revision_as_object()
    assert draft.lead_article_id == stories[0].pk
    assert [row.article_id for row in draft.front_stories.all()] == [stories[1].pk]
    # Readers still see the newest story first until a second editor approves.
    reader = browser.new_context().new_page()
    reader.goto(f"{live_server.url}/")
    assert reader.locator(".lead-story .card__headline").inner_text() == "Newest wire copy"

    approver = log_in(browser, live_server, second_editor)
    approver.goto(f"{live_server.url}/admin/pages/{home_page.pk}/edit/")
    approver.locator("footer [data-w-dropdown-target='toggle']").last.click()
    with approver.expect_navigation():
        approver.get_by_role("button", name="Approve and Publish", exact=True).click()
    shoot(approver, "fronts-2-second-editor-approves")
    # A new reader: the first one's browser keeps the page for max-age, as it may.
    reader = browser.new_context().new_page()
    reader.goto(f"{live_server.url}/")
    shoot(reader, "fronts-3-reader-sees-the-front")
    headlines = reader.locator(".front .card__headline").all_inner_texts()
    assert headlines[:3] == [LEAD, TOP, "Newest wire copy"]


def test_an_editor_sets_the_banner_and_takes_it_down(
    browser,
    live_server,
    settings,
    home_page,
    stories,
    editor,
):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    page = log_in(browser, live_server, editor)
    page.goto(f"{live_server.url}/admin/snippets/news/breakingnews/add/")
    page.fill("#id_text", BANNER)
    choose_page(page, page.locator("[data-chooser-action-choose]").first, LEAD)
    expiry = timezone.localtime(timezone.now() + timedelta(hours=1))
    page.fill("#id_expires_at", expiry.strftime("%Y-%m-%d %H:%M"))
    page.keyboard.press("Escape")
    shoot(page, "banner-1-editor-writes")
    page.locator("footer [data-w-dropdown-target='toggle']").last.click()
    with page.expect_navigation():
        page.locator("button[name='action-publish']").click()
    assert BreakingNews.objects.showing().get().text == BANNER

    reader = browser.new_context().new_page()
    reader.goto(f"{live_server.url}{stories[1].url}")
    shoot(reader, "banner-2-reader-sees-it")
    banner = reader.locator(".breaking-news")
    assert BANNER in banner.inner_text()
    assert banner.locator("a").get_attribute("href") == stories[0].url

    # Taken down: gone from every page at once.
    banner_id = BreakingNews.objects.get().pk
    page.goto(f"{live_server.url}/admin/snippets/news/breakingnews/unpublish/{banner_id}/")
    with page.expect_navigation():
        page.locator("form [type=submit]").last.click()
    reader = browser.new_context().new_page()
    reader.goto(f"{live_server.url}/")
    assert reader.locator(".breaking-news").count() == 0
