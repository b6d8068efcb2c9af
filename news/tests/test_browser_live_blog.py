"""In a real browser: a reader's open live blog shows a new post without reloading.

The page polls the posts endpoint (static/js/live_blog.js) under the site's
Content-Security-Policy, so a CSP violation or a script error fails the test too.
"""

from news.tests.browser import BROWSER_TEST
from news.tests.factories import make_live_blog, make_live_post

pytestmark = BROWSER_TEST


def test_a_readers_open_page_shows_a_new_post_without_reloading(
    browser, live_server, settings, section
):
    settings.NEWS_LIVE_POLL_INTERVAL = 500
    blog = make_live_blog(section, "Election night")
    first = make_live_post(blog, "Polls have closed.")
    doomed = make_live_post(blog, "Exit poll withdrawn.")

    page = browser.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    loads = []
    page.on("load", lambda: loads.append(1))
    page.goto(f"{live_server.url}{blog.url}")
    assert page.locator(f"#post-{first.pk}").is_visible()

    new = make_live_post(
        blog, "The first seat is declared.", headline="First result", key_event=True
    )
    doomed.delete()

    page.locator(f"#post-{new.pk}").wait_for()
    page.locator(f"#post-{doomed.pk}").wait_for(state="detached")
    # On top, newest first, and listed among the key events.
    assert page.locator("[data-post-id]").first.get_attribute("id") == f"post-{new.pk}"
    assert "First result" in page.locator("[data-key-events]").inner_text()
    assert len(loads) == 1, "the page reloaded"
    assert errors == []
