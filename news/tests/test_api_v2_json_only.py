"""API v2 answers JSON only: DRF's browsable HTML API (?format=api) is not served."""

import pytest

from news.tests.factories import make_article

pytestmark = pytest.mark.django_db

URLS = ["/api/v2/pages/", "/api/v2/images/", "/api/v2/documents/"]


@pytest.fixture
def story(section):
    return make_article(section, "Harbour reopens")


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("format_", ["api", "xml"])
def test_another_format_is_refused_in_json(client, story, url, format_):
    response = client.get(url, {"format": format_})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"message": 'format must be "json": this API answers JSON only'}


def test_a_browser_gets_json(client, story):
    # A browser's Accept header must not get HTML either (nor put HTML in the shared cache).
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}

    first = client.get(f"/api/v2/pages/{story.pk}/", headers=browser)
    second = client.get(f"/api/v2/pages/{story.pk}/")

    assert first["Content-Type"] == second["Content-Type"] == "application/json"
    assert first.json()["title"] == second.json()["title"] == "Harbour reopens"


def test_format_json_still_works(client, story):
    response = client.get("/api/v2/pages/", {"format": "json", "type": "news.ArticlePage"})

    assert response.status_code == 200
    assert [item["title"] for item in response.json()["items"]] == ["Harbour reopens"]


@pytest.mark.parametrize(
    "url", [*URLS, "/api/v2/pages/?type=news.ArticlePage", "/api/v2/pages/{pk}/"]
)
def test_json_is_compact(client, story, url):
    # Wagtail indents by four spaces, which takes Python's pure-Python encoder (slow).
    response = client.get(url.format(pk=story.pk))

    assert response.status_code == 200
    body = response.content.decode()
    assert response.json()
    assert "\n" not in body and '": ' not in body


@pytest.mark.parametrize("url", ["/api/v2/pages/?type=news.ArticlePage", "/api/v2/pages/{pk}/"])
def test_a_client_may_still_ask_for_indented_json(client, story, settings, url):
    # Article lists and details splice kept JSON text; an indent asked for re-renders it.
    settings.NEWS_CACHE_TIMEOUT = 0
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 300
    path = url.format(pk=story.pk)
    compact = client.get(path)
    for _ in range(2):  # built, then kept
        indented = client.get(path, headers={"Accept": "application/json; indent=2"})
        assert indented.content.decode().startswith('{\n  "')
        assert indented.json() == compact.json()


EVERY_V2_ROUTE = [
    "/api/v2/pages/",
    "/api/v2/pages/{pk}/",
    "/api/v2/pages/find/?html_path=/world/harbour-reopens/",
    "/api/v2/images/",
    "/api/v2/images/find/?id=1",
    "/api/v2/documents/",
    "/api/v2/documents/find/?id=1",
    "/api/v2/page_preview/",
    "/api/v2/page_preview/1/",
]


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
@pytest.mark.parametrize("url", EVERY_V2_ROUTE)
def test_no_v2_route_serves_the_browsable_api(client, story, settings, url, debug):
    # DRF's browsable API (BrowsableAPIRenderer) is never served, not even under DEBUG: it
    # would put HTML and forms on the API's origin, and HTML into the shared cache.
    settings.DEBUG = debug
    separator = "&" if "?" in url else "?"
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}

    response = client.get(f"{url.format(pk=story.pk)}{separator}format=api", headers=browser)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert b"<html" not in response.content.lower()


@pytest.mark.parametrize("url", EVERY_V2_ROUTE)
def test_a_browser_gets_json_or_a_json_error_on_every_v2_route_under_debug(
    client, story, settings, url
):
    settings.DEBUG = True
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}

    response = client.get(url.format(pk=story.pk), headers=browser, follow=True)

    assert response["Content-Type"] == "application/json", response.status_code
