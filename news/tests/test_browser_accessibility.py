"""In a real browser: every reader page type has no axe-core violation at WCAG 2.2 AA (and
axe's best practices), a working skip link, visible focus, and headings in order.

axe-core runs from the copy inside the axe-playwright-python wheel (no download at run
time), in Debian's Chromium. Screenshots of each page are kept in
test-artifacts/browser-accessibility/.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import BreakingNews
from news.tests.browser import BROWSER_TEST, screenshots
from news.tests.factories import (
    add_note,
    at,
    make_article,
    make_full_story,
    make_live_blog,
    make_live_post,
)

pytestmark = BROWSER_TEST
shoot = screenshots("browser-accessibility")

# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices (heading order,
# landmarks, one h1), which Lighthouse's accessibility score counts too.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
MOBILE = {"width": 412, "height": 823}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def newsroom(home_page, section, settings):
    """A small paper: a lead story with every body block type (the reader page tests' story,
    in British English), more stories, one taken down; {page type: (URL, status)}."""
    settings.NEWS_SERVE_MEDIA = True  # the pictures load, as they do in production
    story = make_full_story(section, language="en-gb")
    # What #18 and #19 added to reader pages: a live correction note (flagged at the top and
    # listed below the body), the breaking-news banner on every page, and a live blog.
    add_note(story, "An earlier version gave the wrong day for the reopening.")
    banner = BreakingNews(
        text="Harbour reopens", article=story, expires_at=timezone.now() + timedelta(hours=2)
    )
    banner.save()
    banner.save_revision().publish()
    live_blog = make_live_blog(section, "Storm watch", intro="The storm, as it happens.")
    # Two key events: their links are stacked, each a tap target of its own.
    make_live_post(live_blog, "The harbour gates are open.", key_event=True, headline="Open")
    make_live_post(live_blog, "The first ferry is in.", key_event=True, headline="First ferry")
    make_live_post(live_blog, "Ferries are back on time.", pinned=True)
    make_article(section, "Words only", intro="No picture here.", published_at=at(2024, 5, 4))
    gone = make_article(section, "Taken down", published_at=at(2024, 5, 3))
    gone_url = gone.url
    gone.unpublish()
    home_page.lead_article = story
    home_page.save_revision().publish()
    return {
        "home": ("/", 200),
        "section": (section.url, 200),
        "article": (story.url, 200),
        "tag": ("/tags/shipping/", 200),
        "search with results": ("/search/?q=harbour", 200),
        "search without results": ("/search/?q=zeppelin", 200),
        "search form": ("/search/", 200),
        "live blog": (live_blog.url, 200),
        "corrections": ("/corrections/", 200),
        "404": ("/no-such-story/", 404),
        "410": (gone_url, 410),
    }


def open_page(browser, live_server, url, viewport):
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(15_000)
    page = context.new_page()
    response = page.goto(f"{live_server.url}{url}", wait_until="load")
    return page, response


def axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + "; ".join(", ".join(node["target"]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
    ]


def test_every_reader_page_type_has_no_axe_violations(browser, live_server, newsroom):
    found = {}
    for viewport_name, viewport in (("mobile", MOBILE), ("desktop", DESKTOP)):
        for name, (url, status) in newsroom.items():
            page, response = open_page(browser, live_server, url, viewport)
            assert response.status == status, (name, url)
            shoot(page, f"{name.replace(' ', '-')}-{viewport_name}")
            if violations := axe_violations(page):
                found[f"{name} ({viewport_name}) {url}"] = violations
            page.context.close()
    assert found == {}


def test_axe_finds_what_it_is_meant_to_find(browser, live_server, newsroom):
    """The check is live: a picture without alt text and a page without a language are
    reported."""
    page, _ = open_page(browser, live_server, newsroom["article"][0], DESKTOP)
    page.evaluate("document.querySelector('main picture img').removeAttribute('alt')")
    page.evaluate("document.documentElement.removeAttribute('lang')")
    found = {line.split(" ", 1)[0] for line in axe_violations(page)}
    assert {"image-alt", "html-has-lang"} <= found


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(browser, live_server, newsroom):
    page, _ = open_page(browser, live_server, newsroom["article"][0], DESKTOP)
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.textContent.trim(),"
        " document.activeElement.getBoundingClientRect().left]"
    )
    assert focused[0] == "Skip to content"
    assert focused[1] >= 0  # shown on screen once focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    # The next stop is inside the content (the breadcrumb), not back in the masthead.
    assert page.evaluate("!!document.activeElement.closest('main')")


def test_focus_is_visible_on_links_buttons_and_fields(browser, live_server, newsroom):
    page, _ = open_page(browser, live_server, "/", DESKTOP)
    outlines = []
    for _ in range(8):
        page.keyboard.press("Tab")
        outlines.append(
            page.evaluate(
                "() => { const s = getComputedStyle(document.activeElement);"
                " return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth]; }"
            )
        )
    tags = {tag for tag, _style, _width in outlines}
    assert {"A", "INPUT", "BUTTON"} <= tags
    assert all(style != "none" and width != "0px" for _tag, style, width in outlines), outlines


def test_every_page_has_one_h1_and_headings_in_order(browser, live_server, newsroom):
    problems = {}
    for name, (url, _status) in newsroom.items():
        page, _ = open_page(browser, live_server, url, DESKTOP)
        levels = page.evaluate(
            "[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => Number(h.tagName[1]))"
        )
        jumps = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
        if levels.count(1) != 1 or levels[0] != 1 or jumps:
            problems[name] = levels
        page.context.close()
    assert problems == {}


def test_section_links_on_cards_are_at_least_24_pixels_tall(browser, live_server, newsroom):
    page, _ = open_page(browser, live_server, "/", MOBILE)
    heights = page.evaluate(
        "[...document.querySelectorAll('.card__section a')]"
        ".map(a => a.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 24
