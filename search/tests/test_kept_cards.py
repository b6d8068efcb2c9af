"""Search results' story cards kept between searches (news/cards.py): fewer queries, the same
page, and a card drawn again when what it shows changes."""

import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from news.cards import story_cards
from news.models import ArticlePage
from news.tests.factories import at, make_article, make_author, make_image

pytestmark = pytest.mark.django_db

# What building a card reads: the story's row, its byline, its picture and renditions.
CARD_TABLES = ("news_articleauthor", "wagtailimages_image", "wagtailimages_rendition")


@pytest.fixture(autouse=True)
def fragments_kept(settings):
    settings.NEWS_CACHE_TIMEOUT = 0
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 300


@pytest.fixture
def stories(section):
    author = make_author("Ada Quill")
    return [
        make_article(
            section,
            f"Harbour notice {n}",
            intro=f"Notice number {n}.",
            authors=[author],
            lead_image=make_image(f"Quay {n}", width=64, height=48),
            published_at=at(2024, 1, n + 1),
        )
        for n in range(4)
    ]


def search(client, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in captured.captured_queries]


def reads_cards(queries):
    return [sql for sql in queries if any(f'"{table}"' in sql for table in CARD_TABLES)]


@pytest.mark.parametrize("params", [{"q": "harbour"}, {"section": "world", "from": "2020-01-01"}])
def test_kept_cards_spare_every_query_of_a_card_and_change_nothing(
    client, stories, settings, params
):
    built = search(client, **params)[0]
    search(client, **params)  # kept by now, whether or not the first could keep them
    kept, keeping = search(client, **params)
    assert not reads_cards(keeping), reads_cards(keeping)
    assert kept == built
    assert all(story.title in kept for story in stories)
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 0
    drawn, drawing = search(client, **params)
    assert drawn == built
    assert reads_cards(drawing)


def test_the_queries_of_kept_cards_do_not_grow_with_the_results(client, section, stories):
    for _ in range(2):
        few = len(search(client, q="harbour")[1])
    for n in range(4, 10):
        make_article(section, f"Harbour notice {n}", published_at=at(2024, 2, n))
    for _ in range(3):
        many = len(search(client, q="harbour")[1])
    assert many == few


def test_a_kept_card_is_drawn_again_when_its_byline_or_picture_changes(client, stories):
    for _ in range(2):
        search(client, q="harbour")
    author = stories[0].authors[0]
    author.name = "Ada Quillon"
    author.save()
    assert search(client, q="harbour")[0].count("Ada Quillon") == len(stories)

    image = stories[1].lead_image
    image.title = "Quay, recropped"
    image.save()
    _page, queries = search(client, q="harbour")
    # That picture's card was drawn again (one story, one picture); the others stayed kept.
    [pictures] = [sql for sql in queries if '"wagtailimages_image"' in sql]
    where = pictures.split(" WHERE ")[-1]
    assert re.findall(r"\d+", where) == [str(image.pk)], where


def test_cards_are_kept_apart_by_their_options(rf_request, stories):
    pks = [story.pk for story in stories]
    visible = ArticlePage.objects.live().public()
    h2 = story_cards(rf_request, pks, visible, heading="h2")
    h3 = story_cards(rf_request, pks, visible)
    assert all("<h2" in card for card in h2)
    assert all("<h3" in card for card in h3)
    assert story_cards(rf_request, pks, visible, heading="h2") == h2


def test_a_story_that_left_is_neither_served_from_the_keep_nor_drawn(rf_request, stories):
    pks = [story.pk for story in stories]
    visible = ArticlePage.objects.live().public()
    story_cards(rf_request, pks, visible)  # versions
    story_cards(rf_request, pks, visible)  # kept
    stories[2].unpublish()
    # A listing whose query ran before the unpublish still holds its id.
    cards = story_cards(rf_request, pks, ArticlePage.objects.live().public())
    assert len(cards) == 3
    assert not [card for card in cards if stories[2].title in card]


@pytest.fixture
def rf_request(home_page):
    return RequestFactory().get("/search/")
