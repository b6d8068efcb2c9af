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
    # The first read fills this process's memos of the site and its view restrictions (they
    # follow the database's site version: cms/caching.py VersionedMemo); no cards are kept.
    read(client, LIST, LIST_PARAMS)
    first = read(client, LIST, LIST_PARAMS)
    second = read(client, LIST, LIST_PARAMS)
    assert second == first


# Whole representations: a kept list or detail reads only ids, order and count.

ARTICLE_DATA_TABLES = (
    "news_articleauthor",
    "news_author",
    "news_articletag",
    "taggit_tag",
    "news_relatedarticle",
    "wagtailimages_image",
    "wagtailimages_rendition",
    "wagtailembeds_embed",
)


def tables_read(client, path, params=None):
    """The response and the article-data tables its queries read."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params or {})
    assert response.status_code == 200
    sql = " ".join(query["sql"].lower() for query in captured.captured_queries)
    return response, {table for table in ARTICLE_DATA_TABLES if table in sql}


@pytest.fixture
def pictured_stories(section):
    from news.tests.factories import make_author, make_image

    jane = make_author("Jane Doe")
    return [
        make_article(
            section,
            f"Pictured story {n}",
            authors=[jane],
            tags=["oil"],
            lead_image=make_image(f"Picture {n}", width=64, height=48),
            published_at=at(2026, 2, n + 1),
        )
        for n in range(3)
    ]


@pytest.mark.redis
def test_a_kept_list_reads_no_bylines_tags_pictures_or_related_stories(client, pictured_stories):
    cold, tables = tables_read(client, LIST, LIST_PARAMS)
    assert "news_articleauthor" in tables and "wagtailimages_image" in tables
    warm, tables = tables_read(client, LIST, LIST_PARAMS)
    assert warm.content == cold.content
    assert tables == set()


DETAILS = ["/api/v2/pages/{}/", "/api/v3/pages/{}/"]


@pytest.mark.parametrize("detail", DETAILS)
def test_a_kept_detail_reads_no_bylines_tags_pictures_or_related_stories(
    client, pictured_stories, detail
):
    path = detail.format(pictured_stories[1].pk)
    cold, tables = tables_read(client, path)
    assert "news_articletag" in tables
    warm, tables = tables_read(client, path)
    assert warm.content == cold.content
    assert warm["Content-Type"] == cold["Content-Type"]
    assert tables == set()


@pytest.mark.parametrize("params", [{}, {"rich_text_format": "markdown"}, {"site": "localhost"}])
def test_a_kept_v3_detail_is_what_wagtail_answers(client, pictured_stories, settings, params):
    path = f"/api/v3/pages/{pictured_stories[0].pk}/"
    read(client, path)  # the default answer is kept first
    kept = read(client, path, params)[0]
    assert read(client, path, params)[0] == kept
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 0
    assert read(client, path, params)[0] == kept


@pytest.mark.parametrize("path", ["/api/v3/pages/{}/?rich_text_format=nope", "/api/v3/pages/0/"])
def test_a_v3_detail_wagtail_refuses_is_refused_with_a_keep(client, pictured_stories, path):
    read(client, f"/api/v3/pages/{pictured_stories[0].pk}/")
    response = client.get(path.format(pictured_stories[0].pk))
    assert response.status_code in (404, 422)
    assert "application/" in response["Content-Type"] and "json" in response["Content-Type"]


def test_an_editor_reading_the_v3_draft_never_gets_the_kept_live_story(
    client, pictured_stories, editor, bearer
):
    story = pictured_stories[0]
    path = f"/api/v3/pages/{story.pk}/"
    for params in ({}, {"version": "draft"}):
        assert client.get(path, params).json()["title"] == story.title  # kept
    story.title = "A draft headline"
    story.save_revision()
    assert client.get(path, {"version": "draft"}).json()["title"] == "Pictured story 0"
    draft = client.get(path, {"version": "draft"}, **bearer(editor))
    assert draft.json()["title"] == "A draft headline"


@pytest.mark.redis
def test_a_list_mixing_kept_and_new_articles_keeps_its_order(client, section, settings):
    add_stories(section, 3)
    read(client, LIST, {**LIST_PARAMS, "limit": 2})
    mixed = read(client, LIST, LIST_PARAMS)[0]
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 0
    assert read(client, LIST, LIST_PARAMS)[0] == mixed


@pytest.mark.parametrize(
    "params",
    [
        {"fields": "_,title"},
        {"fields": "_,id,type,html_url,tags"},
        {"fields": "*"},
        {"fields": "-body,-related_articles"},
        {"fields": "title,-id"},
        {"rich_text_format": "markdown"},
        {"rich_text_format": "db_html", "fields": "_,body"},
    ],
)
def test_each_fields_and_format_gets_what_it_asked_for(client, pictured_stories, settings, params):
    read(client, LIST, LIST_PARAMS)  # the default shape is kept first
    detail = f"/api/v2/pages/{pictured_stories[0].pk}/"
    read(client, detail)
    kept_list = read(client, LIST, {**LIST_PARAMS, **params})[0]
    kept_detail = read(client, detail, params)[0]
    assert read(client, LIST, {**LIST_PARAMS, **params})[0] == kept_list

    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 0
    assert read(client, LIST, {**LIST_PARAMS, **params})[0] == kept_list
    assert read(client, detail, params)[0] == kept_detail


def test_the_api_base_url_reaches_kept_representations(client, pictured_stories, settings):
    detail = f"/api/v2/pages/{pictured_stories[0].pk}/"
    assert client.get(detail).json()["meta"]["detail_url"].startswith("http://localhost/")
    settings.WAGTAILAPI_BASE_URL = "https://api.example.com"
    assert client.get(detail).json()["meta"]["detail_url"].startswith("https://api.example.com/")
    item = client.get(LIST, LIST_PARAMS).json()["items"][0]
    assert item["meta"]["detail_url"].startswith("https://api.example.com/")


def first_item(client):
    return client.get(LIST, LIST_PARAMS).json()["items"][0]


def test_a_new_headline_reaches_kept_representations(client, pictured_stories):
    story = pictured_stories[-1]
    details = [detail.format(story.pk) for detail in DETAILS]
    assert first_item(client)["title"] == story.title
    assert all(client.get(path).json()["title"] == story.title for path in details)
    story.title = "Pictured story, corrected"
    story.save_revision().publish()
    assert first_item(client)["title"] == "Pictured story, corrected"
    assert all(client.get(path).json()["title"] == story.title for path in details)


@pytest.mark.redis
def test_a_renamed_author_reaches_kept_bylines(client, pictured_stories):
    from news.models import Author

    detail = f"/api/v2/pages/{pictured_stories[0].pk}/"
    assert client.get(detail).json()["authors"][0]["name"] == "Jane Doe"
    assert first_item(client)["authors"][0]["name"] == "Jane Doe"
    jane = Author.objects.get(name="Jane Doe")
    jane.name = "Jane Doe-Smith"
    jane.save()
    assert client.get(detail).json()["authors"][0]["name"] == "Jane Doe-Smith"
    assert first_item(client)["authors"][0]["name"] == "Jane Doe-Smith"


def test_a_changed_picture_reaches_kept_representations(client, pictured_stories):
    story = pictured_stories[-1]
    assert first_item(client)["lead_image"]["title"] == "Picture 2"
    image = story.lead_image
    image.title = "Picture 2, recaptioned"
    image.save()
    assert first_item(client)["lead_image"]["title"] == "Picture 2, recaptioned"


def test_a_renamed_tag_reaches_kept_representations(client, pictured_stories):
    from taggit.models import Tag

    assert first_item(client)["tags"] == ["oil"]
    tag = Tag.objects.get(name="oil")
    tag.name = "crude"
    tag.save()
    assert first_item(client)["tags"] == ["crude"]


def test_a_moved_article_shows_its_new_section_and_address(client, home_page, pictured_stories):
    story = pictured_stories[-1]
    assert first_item(client)["section"]["slug"] == story.get_parent().slug
    business = make_section(home_page, "Business")
    story.refresh_from_db()
    story.move(business, pos="last-child")
    item = first_item(client)
    assert item["section"]["slug"] == "business"
    assert item["meta"]["html_url"] == f"http://localhost/business/{story.slug}/"


def test_an_unpublished_article_leaves_the_kept_list_and_detail(client, pictured_stories):
    story = pictured_stories[-1]
    details = [detail.format(story.pk) for detail in DETAILS]
    assert [client.get(path).status_code for path in details] == [200, 200]
    assert first_item(client)["id"] == story.pk
    story.unpublish()
    assert [client.get(path).status_code for path in details] == [404, 404]
    assert story.pk not in [item["id"] for item in client.get(LIST, LIST_PARAMS).json()["items"]]


def test_a_private_article_is_neither_kept_nor_served_from_the_keep(
    client, home_page, section, monkeypatch, django_user_model
):
    from wagtail.models import PageViewRestriction

    from news.api.kept import KeptRepresentations

    private = make_section(home_page, "Members")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    secret = make_article(private, "Members-only story", published_at=at(2026, 3, 1))
    make_article(section, "Public story", published_at=at(2026, 1, 1))
    keyed = []
    original = KeptRepresentations.key
    monkeypatch.setattr(
        KeptRepresentations,
        "key",
        lambda self, pk, published: keyed.append(pk) or original(self, pk, published),
    )

    titles = [item["title"] for item in client.get(LIST, LIST_PARAMS).json()["items"]]
    assert titles == ["Public story"]
    assert secret.pk not in keyed and keyed

    assert client.get(f"/api/v3/pages/{secret.pk}/").status_code == 404
    assert secret.pk not in keyed

    keyed.clear()
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    for _ in range(2):
        items = client.get(LIST, LIST_PARAMS).json()["items"]
        assert [item["title"] for item in items] == ["Members-only story", "Public story"]
        assert client.get(f"/api/v2/pages/{secret.pk}/").json()["title"] == secret.title
    assert keyed == []


# The newest stories per tag, shared by every article's related stories.


def test_the_newest_stories_per_tag_are_ranked_once_until_the_tag_changes(section):
    from news.related import related_articles

    first = make_article(section, "Oil one", tags=["oil"], published_at=at(2026, 1, 1))
    second = make_article(section, "Oil two", tags=["oil"], published_at=at(2026, 1, 2))
    related_articles([first])
    with CaptureQueriesContext(connection) as captured:
        assert [story.pk for story in related_articles([second])[second.pk]] == [first.pk]
    assert not any("row_number" in query["sql"].lower() for query in captured.captured_queries)

    third = make_article(section, "Oil three", tags=["oil"], published_at=at(2026, 1, 3))
    related = related_articles([second])[second.pk]
    assert [story.pk for story in related] == [third.pk, first.pk]
    third.unpublish()
    assert [story.pk for story in related_articles([second])[second.pk]] == [first.pk]


def test_the_tag_ranking_is_not_kept_when_the_setting_says_so(section, settings):
    from news.related import related_articles

    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 0
    first = make_article(section, "Oil one", tags=["oil"], published_at=at(2026, 1, 1))
    related_articles([first])
    with CaptureQueriesContext(connection) as captured:
        related_articles([first])
    assert any("row_number" in query["sql"].lower() for query in captured.captured_queries)
