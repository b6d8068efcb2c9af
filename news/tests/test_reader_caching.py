"""Anonymous reader pages come from the real Redis and never outlive a change to what they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.models import ArticlePage
from news.tests.factories import make_article, make_section

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

READER_PAGES = ["/", "/world/", "/world/harbour-reopens/", "/feeds/rss/", "/sitemap.xml"]


@pytest.fixture
def story(section):
    return make_article(section, "Harbour reopens", tags=["harbour"])


def queries_for(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return response, len(queries)


@pytest.mark.parametrize("path", READER_PAGES + ["/sitemap-news.xml", "/feeds/atom/"])
def test_second_anonymous_read_of_a_reader_page_comes_from_redis(client, story, path):
    first, _ = queries_for(client, path)
    second, queries = queries_for(client, path)
    assert queries == 0
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "public" in second["Cache-Control"]
    assert second["ETag"] == first["ETag"]


def test_cached_pages_are_stored_in_redis_under_the_test_prefix(client, story, redis_cache):
    client.get("/world/harbour-reopens/")
    prefix = redis_cache.key_prefix
    keys = redis_cache._cache.get_client().keys(f"{prefix}:*")
    assert any(b"newsroom:response:" in key for key in keys)


def test_search_results_are_not_cached(client, story):
    client.get("/search/?q=harbour")
    response, queries = queries_for(client, "/search/?q=harbour")
    assert response.get("X-Cache") is None
    assert queries > 0


def test_publishing_a_story_refreshes_home_section_feeds_and_sitemaps(client, story, section):
    for path in READER_PAGES:
        client.get(path)
    make_article(section, "Ferries resume")
    for path in ["/", "/world/", "/feeds/rss/"]:
        assert b"Ferries resume" in client.get(path).content, path
    assert b"/world/ferries-resume/" in client.get("/sitemap.xml").content


def test_editing_a_story_refreshes_its_page_and_the_section(client, story):
    client.get(story.url)
    client.get("/world/")
    story.title = "Harbour reopens after the storm"
    story.save_revision().publish()
    assert b"Harbour reopens after the storm" in client.get(story.url).content
    assert b"Harbour reopens after the storm" in client.get("/world/").content


def test_a_story_shown_only_as_related_is_refreshed_everywhere(client, section, home_page):
    business = make_section(home_page, "Business")
    related = make_article(business, "Dockers vote to strike")
    story = make_article(section, "Harbour reopens", related=[related])
    assert b"Dockers vote to strike" in client.get(story.url).content
    related.title = "Dockers call off the strike"
    related.save_revision().publish()
    page = client.get(story.url).content
    assert b">Dockers call off the strike</a>" in page
    assert b">Dockers vote to strike</a>" not in page
    related.unpublish()
    assert b"Dockers call off the strike" not in client.get(story.url).content


def test_unpublishing_removes_a_story_from_every_cached_page(client, story):
    for path in READER_PAGES:
        client.get(path)
    story.unpublish()
    for path in ["/", "/world/", "/feeds/rss/", "/sitemap.xml"]:
        assert b"Harbour reopens" not in client.get(path).content, path
    assert client.get(story.url).status_code == 410


def test_moving_a_story_refreshes_both_sections(client, story, home_page):
    business = make_section(home_page, "Business")
    assert b"Harbour reopens" in client.get("/world/").content
    client.get("/business/")
    story.move(business, pos="last-child")
    assert b"Harbour reopens" not in client.get("/world/").content
    assert b"Harbour reopens" in client.get("/business/").content


def test_deleting_a_story_refreshes_the_section_page(client, story):
    assert b"Harbour reopens" in client.get("/world/").content
    story.delete()
    assert b"Harbour reopens" not in client.get("/world/").content


def test_logged_in_editors_always_get_fresh_pages_that_are_never_stored(client, story, editor):
    anonymous = client.get(story.url)
    # A change that bypasses every signal: only an uncached response can show it.
    ArticlePage.objects.filter(pk=story.pk).update(title="Quietly corrected")
    assert b"Quietly corrected" not in client.get(story.url).content  # still the cached copy

    client.force_login(editor)
    fresh = client.get(story.url)
    assert b"Quietly corrected" in fresh.content
    assert fresh.get("X-Cache") is None
    assert "private" in fresh["Cache-Control"]
    assert "Cookie" in fresh["Vary"]

    client.logout()
    # The editor's response did not replace the anonymous copy.
    assert client.get(story.url).content == anonymous.content


def test_an_editors_visit_does_not_fill_the_cache(client, story, editor):
    client.force_login(editor)
    client.get("/world/")
    client.logout()
    response, queries = queries_for(client, "/world/")
    assert response.get("X-Cache") is None
    assert queries > 0
