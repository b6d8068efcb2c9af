"""Related-article cards kept between API responses: reused, and never stale or leaked."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.tests.factories import at, make_article, make_section

pytestmark = pytest.mark.django_db

LIST = "/api/v2/pages/"
LIST_PARAMS = {"type": "news.ArticlePage", "limit": 50}


@pytest.fixture(autouse=True)
def uncached_responses(settings):
    """Responses are never cached here, so every read builds its representation."""
    settings.NEWS_CACHE_TIMEOUT = 0
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 300
    return settings


def related_titles(client, article):
    response = client.get(f"/api/v2/pages/{article.pk}/")
    assert response.status_code == 200
    return [card["title"] for card in response.json()["related_articles"]]


def read(client, path, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return response.content, len(captured)


def add_stories(section, count, start=0):
    for n in range(start, start + count):
        make_article(
            section, f"Story {n}", tags=["oil", f"tag{n}"], published_at=at(2026, 1, n + 1)
        )


def test_kept_cards_spare_the_related_queries_and_change_nothing(client, section, settings):
    add_stories(section, 4)
    cold, cold_queries = read(client, LIST, LIST_PARAMS)
    warm, warm_queries = read(client, LIST, LIST_PARAMS)
    assert warm == cold
    assert warm_queries < cold_queries
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 0
    assert read(client, LIST, LIST_PARAMS)[0] == cold


def test_warm_reads_cost_the_same_for_few_or_many_articles(client, section):
    add_stories(section, 3)
    read(client, LIST, LIST_PARAMS)
    few = read(client, LIST, LIST_PARAMS)[1]
    add_stories(section, 6, start=3)
    read(client, LIST, LIST_PARAMS)
    many = read(client, LIST, LIST_PARAMS)[1]
    assert many == few


def test_publishing_a_story_that_shares_a_tag_updates_kept_cards(client, section):
    older = make_article(section, "Older oil story", tags=["oil"], published_at=at(2026, 1, 1))
    story = make_article(section, "Oil story", tags=["oil"], published_at=at(2026, 1, 2))
    assert related_titles(client, story) == [older.title]
    make_article(section, "Newest oil story", tags=["oil"], published_at=at(2026, 1, 3))
    assert related_titles(client, story) == ["Newest oil story", older.title]


def test_unpublishing_a_related_story_drops_its_kept_card(client, section):
    picked = make_article(section, "Picked story")
    story = make_article(section, "Story", related=[picked])
    assert related_titles(client, story) == ["Picked story"]
    picked.unpublish()
    assert "Picked story" not in related_titles(client, story)


def test_a_related_storys_new_headline_and_address_reach_kept_cards(client, home_page, section):
    picked = make_article(section, "Picked story")
    story = make_article(section, "Story", related=[picked])
    assert related_titles(client, story) == ["Picked story"]

    picked.title = "Picked story, corrected"
    picked.save_revision().publish()
    assert related_titles(client, story) == ["Picked story, corrected"]

    business = make_section(home_page, "Business")
    picked.refresh_from_db()
    picked.move(business, pos="last-child")
    card = client.get(f"/api/v2/pages/{story.pk}/").json()["related_articles"][0]
    assert card["url"] == "http://localhost/business/picked-story/"


def test_cards_are_kept_only_when_the_setting_allows(client, section, settings):
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 0
    add_stories(section, 3)
    first = read(client, LIST, LIST_PARAMS)
    second = read(client, LIST, LIST_PARAMS)
    assert second == first
