"""Related-article cards are computed when a change is published, and a cold API read takes them.

The refresh runs once the change has committed (news/api/stored.py), so each change
here is made inside django_capture_on_commit_callbacks(execute=True), as production commits.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from news.api.stored import store_all_representations, store_representations
from news.models import ArticlePage, StoredRepresentation
from news.tests.factories import at, make_article, make_image

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cold(settings):
    # Nothing cached or kept between requests: only the stored rows can spare the work.
    settings.NEWS_CACHE_TIMEOUT = 0
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 0


@pytest.fixture
def stories(section, django_capture_on_commit_callbacks):
    """A story, and a later one that picked it by hand, both published and committed."""
    with django_capture_on_commit_callbacks(execute=True):
        quay = make_article(
            section,
            "Quay reopens",
            tags=["port"],
            lead_image=make_image("Quay", width=64, height=48),
            published_at=at(2026, 1, 1),
        )
        diary = make_article(section, "Port diary", related=[quay], published_at=at(2026, 1, 2))
    return quay, diary


RELATED_CARDS = StoredRepresentation.Kind.RELATED_CARDS


def stored_part(article, kind=RELATED_CARDS):
    return StoredRepresentation.objects.get(article=article, kind=kind)


def stored_cards(article):
    return json.loads(stored_part(article).value)


def stored_titles(article):
    return [card["title"] for card in stored_cards(article)]


def api_titles(client, article, version="v2"):
    response = client.get(f"/api/{version}/pages/{article.pk}/")
    assert response.status_code == 200
    return [card["title"] for card in response.json()["related_articles"]]


def test_a_publish_stores_the_cards_of_the_story(stories):
    quay, diary = stories
    row = stored_part(diary)
    assert stored_titles(diary) == ["Quay reopens"]
    assert stored_cards(diary)[0]["thumbnail"]["url"]
    assert f"page:{quay.pk}" in row.shows and f"page:{diary.pk}" in row.shows


def test_a_cold_read_takes_the_stored_cards_and_chooses_none(client, stories):
    _quay, diary = stories
    for path in (f"/api/v2/pages/{diary.pk}/", f"/api/v3/pages/{diary.pk}/"):
        client.get(path)  # renditions made on first sight
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert [card["title"] for card in response.json()["related_articles"]] == ["Quay reopens"]
        sql = " ".join(query["sql"] for query in captured.captured_queries)
        assert "news_relatedarticle" not in sql, path  # the picks are not even read
    listing = {"type": "news.ArticlePage", "fields": "_,id,related_articles"}
    with CaptureQueriesContext(connection) as captured:
        items = client.get("/api/v2/pages/", listing).json()["items"]
    assert {item["id"]: len(item["related_articles"]) for item in items}[diary.pk] == 1
    assert "news_relatedarticle" not in " ".join(q["sql"] for q in captured.captured_queries)


def test_a_cold_read_without_stored_cards_computes_them(client, stories):
    _quay, diary = stories
    StoredRepresentation.objects.all().delete()
    assert api_titles(client, diary) == ["Quay reopens"]
    assert api_titles(client, diary, "v3") == ["Quay reopens"]


def test_a_headline_edit_of_a_related_story_reaches_the_stored_cards(
    client, stories, django_capture_on_commit_callbacks
):
    quay, diary = stories
    with django_capture_on_commit_callbacks(execute=True):
        quay.title = "Quay stays shut"
        quay.save_revision().publish()
    assert stored_titles(diary) == ["Quay stays shut"]
    assert api_titles(client, diary) == ["Quay stays shut"]
    assert api_titles(client, diary, "v3") == ["Quay stays shut"]


def test_until_the_change_commits_no_stale_row_is_read(client, stories):
    quay, diary = stories
    # Inside the change's transaction (no commit here): the row is gone, the read computes.
    quay.title = "Quay stays shut"
    quay.save_revision().publish()
    assert not StoredRepresentation.objects.filter(article=diary).exists()
    assert api_titles(client, diary) == ["Quay stays shut"]


def test_a_draft_headline_never_reaches_the_stored_cards(client, stories):
    quay, diary = stories
    quay.title = "Secret draft headline"
    quay.save_revision()
    store_all_representations()
    assert stored_titles(diary) == ["Quay reopens"]
    assert api_titles(client, diary) == ["Quay reopens"]


@pytest.mark.parametrize("change", ["unpublish", "delete", "privacy"])
def test_a_story_readers_may_no_longer_see_leaves_the_stored_cards(
    client, stories, change, django_capture_on_commit_callbacks
):
    quay, diary = stories
    with django_capture_on_commit_callbacks(execute=True):
        if change == "unpublish":
            quay.unpublish()
        elif change == "delete":
            quay.delete()
        else:
            PageViewRestriction.objects.create(
                page=quay, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
            )
    assert "Quay reopens" not in stored_titles(diary)
    assert "Quay reopens" not in api_titles(client, diary)
    assert "Quay reopens" not in api_titles(client, diary, "v3")


def test_a_move_of_a_related_story_reaches_the_stored_cards(
    client, home_page, stories, django_capture_on_commit_callbacks
):
    from news.tests.factories import make_section

    quay, diary = stories
    business = make_section(home_page, "Business")
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=quay.pk).move(business, pos="last-child")
    [card] = stored_cards(diary)
    assert "/business/quay-reopens/" in card["url"]


def test_an_older_computation_never_overwrites_a_newer_row(stories):
    _quay, diary = stories
    StoredRepresentation.objects.filter(article=diary).update(value="[]", computed_at=2**62)
    assert store_representations([diary.pk]) == 0
    assert stored_cards(diary) == []
