"""API requests cost a fixed number of queries, however many articles they return."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from news.tests.factories import make_article, make_author, make_embed, make_image, paragraph

pytestmark = pytest.mark.django_db


def add_articles(section, count, start=0):
    afp = make_author("AFP", kind="agency")
    for n in range(start, start + count):
        # Small pictures: the test counts queries, and resizing big ones only costs time.
        lead = make_image(f"Lead {n}", width=64, height=48)
        inline = make_image(f"Inline {n}", width=64, height=48)
        make_embed(f"https://video.example.com/{n}", f"<div>Video {n}</div>")
        earlier = [] if n == 0 else [make_article_ref(section, n - 1)]
        make_article(
            section,
            f"Story {n}",
            authors=[make_author(f"Writer {n}"), afp],
            tags=[f"tag{n}", "shared", f"tag{n % 3}"],
            lead_image=lead,
            related=earlier,
            body=[
                paragraph(f"<p>Paragraph {n}.</p>"),
                ("image", {"image": inline, "caption": "c", "credit": "r", "alt": ""}),
                ("embed", f"https://video.example.com/{n}"),
                ("quote", {"quote": "q", "attribution": "a"}),
            ],
        )


def make_article_ref(section, n):
    from news.models import ArticlePage

    return ArticlePage.objects.get(slug=f"story-{n}")


def count_queries(client, path, params):
    client.get(path, params)  # renditions and caches warm up on first sight
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {**params, "_": "fresh"})  # new URL: no cached response
    assert response.status_code == 200
    return len(captured), response.json()


LIST_ALL_FIELDS = {"type": "news.ArticlePage", "limit": 50, "fields": "*"}


def listing_5_then_20(client, section):
    """Queries to list 5 articles, then 20 (the API's page size), with every field."""
    add_articles(section, 5)
    few, data = count_queries(client, "/api/v2/pages/", LIST_ALL_FIELDS)
    assert len(data["items"]) == 5
    assert all(item["lead_image"] and item["related_articles"] for item in data["items"][1:])
    add_articles(section, 15, start=5)
    many, data = count_queries(client, "/api/v2/pages/", LIST_ALL_FIELDS)
    assert len(data["items"]) == 20
    return few, many


def test_listing_5_or_20_articles_costs_the_same(client, section, settings):
    # Cold: nothing kept between responses either (warm reads: test_api_fragments.py).
    settings.NEWS_CACHE_TIMEOUT = 0
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 0
    few, many = listing_5_then_20(client, section)
    assert many == few
    assert few <= 27  # the stored related cards (none: computed on commit), the notes, 25


def site_root_path_reads(client, path, params):
    """How often a fresh request reads Wagtail's site root paths (a cache round trip each)."""
    client.get(path, params)
    paths = Site.get_site_root_paths
    with mock.patch.object(Site, "get_site_root_paths", wraps=paths) as reads:
        response = client.get(path, {**params, "_": "fresh"})
    assert response.status_code == 200
    return reads.call_count


def test_a_listing_reads_the_site_root_paths_as_often_for_5_articles_as_for_20(
    client, section, settings
):
    # Each article's URL, its section's and its related cards' come from one read per batch.
    settings.NEWS_CACHE_TIMEOUT = 0
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 0
    add_articles(section, 5)
    few = site_root_path_reads(client, "/api/v2/pages/", LIST_ALL_FIELDS)
    add_articles(section, 15, start=5)
    many = site_root_path_reads(client, "/api/v2/pages/", LIST_ALL_FIELDS)
    assert many == few
    assert few <= 3


def test_detail_costs_a_bounded_number_of_queries(client, section, settings):
    settings.NEWS_CACHE_TIMEOUT = 0
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 0
    add_articles(section, 6)
    from news.models import ArticlePage

    article = ArticlePage.objects.get(slug="story-5")
    v2, _ = count_queries(client, f"/api/v2/pages/{article.pk}/", {})
    assert v2 <= 30


def test_listing_5_or_20_kept_articles_costs_the_same_and_less_than_cold(client, section, settings):
    # Warm: each article's whole representation was kept by the first read (test_api_fragments).
    settings.NEWS_CACHE_TIMEOUT = 0
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 300
    few, many = listing_5_then_20(client, section)
    assert many == few
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 0
    cold, _ = count_queries(client, "/api/v2/pages/", {**LIST_ALL_FIELDS, "limit": 19})
    assert few < cold / 2


# "_" drops the default fields (Wagtail API v2): the card fields only.
CARD_FIELDS = "_,title,teaser,first_published_at,section,authors,lead_image"


def test_a_list_of_cards_computes_card_fields_only(client, section, settings):
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 0  # cold: nothing kept between requests
    add_articles(section, 5)
    full, _data = count_queries(client, "/api/v2/pages/", LIST_ALL_FIELDS)

    client.get("/api/v2/pages/", {"type": "news.ArticlePage", "fields": CARD_FIELDS})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(
            "/api/v2/pages/", {"type": "news.ArticlePage", "fields": CARD_FIELDS, "_": "fresh"}
        )

    items = response.json()["items"]
    assert len(items) == 5 and all("related_articles" not in item for item in items)
    assert all(item["lead_image"] and item["authors"] for item in items)
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert "wagtailembeds_embed" not in tables  # no body rendered
    assert "news_relatedarticle" not in tables  # no related articles computed
    assert "taggit_tag" not in tables  # no tags shown, none fetched
    assert len(captured) < full


def test_a_list_of_cards_without_teaser_or_body_reads_no_body(client, section, settings):
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 0
    add_articles(section, 3)
    params = {"type": "news.ArticlePage", "fields": "_,title,authors,lead_image"}
    client.get("/api/v2/pages/", params)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v2/pages/", {**params, "_": "fresh"})

    assert len(response.json()["items"]) == 3
    assert all("body" not in query["sql"] for query in captured.captured_queries)
    with_teaser = {**params, "fields": "_,title,teaser"}
    items = client.get("/api/v2/pages/", with_teaser).json()["items"]
    assert {item["teaser"] for item in items} == {"Paragraph 0.", "Paragraph 1.", "Paragraph 2."}


def test_a_detail_asking_for_no_related_articles_computes_none(client, section, settings):
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 0
    add_articles(section, 3)
    from news.models import ArticlePage

    story = ArticlePage.objects.get(slug="story-2")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/api/v2/pages/{story.pk}/", {"fields": "_,title,teaser"})

    assert response.status_code == 200
    assert "related_articles" not in response.json()
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert "news_relatedarticle" not in tables


def test_a_detail_checks_the_page_is_visible_once(client, section, settings, monkeypatch):
    from wagtail.api.v2.views import BaseAPIViewSet

    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 0
    add_articles(section, 2)
    from news.models import ArticlePage

    story = ArticlePage.objects.get(slug="story-1")
    lookups, lookup = [], BaseAPIViewSet.get_object

    def counted(view):
        lookups.append(view)
        return lookup(view)

    monkeypatch.setattr(BaseAPIViewSet, "get_object", counted)
    response = client.get(f"/api/v2/pages/{story.pk}/")
    assert response.status_code == 200
    assert len(lookups) == 1


def test_a_listing_builds_its_serializer_fields_once(client, section, settings):
    from news.api.v2 import NewsPageSerializer

    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 0
    add_articles(section, 3)
    params = {"type": "news.ArticlePage", "fields": "_,title,authors"}
    with mock.patch.object(
        NewsPageSerializer, "get_fields", autospec=True, wraps=NewsPageSerializer.get_fields
    ) as built:
        response = client.get("/api/v2/pages/", params)
    assert len(response.json()["items"]) == 3
    assert built.call_count == 1
