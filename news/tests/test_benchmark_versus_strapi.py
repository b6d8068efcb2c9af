"""The Strapi comparison's articles have the issue's shape, here and in the data Strapi seeds."""

import json

import pytest

from news.benchmark_versus_strapi import seed_versus_newsroom, versus_articles, write_versus_files
from news.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_every_seeded_article_has_the_compared_shape(client, home_page):
    data = versus_articles(8, pictures=2)
    assert seed_versus_newsroom(data) == 8
    assert seed_versus_newsroom(data) == 0  # an existing newsroom is left alone

    articles = ArticlePage.objects.live().public()
    assert articles.count() == 8
    for article in articles:
        kinds = [block.block_type for block in article.body]
        assert kinds.count("paragraph") == 8 and kinds.count("heading") == 2
        assert kinds.count("image") == 2 and len(kinds) == 12
        for block in article.body:
            if block.block_type == "paragraph":
                assert block.value.source.count("<a href=") == 1
            if block.block_type == "image":
                assert block.value["image"] and block.value["caption"] and block.value["credit"]
        assert len(article.authors) == 2 and article.tags.count() == 3
        assert article.related_links.count() == 3 and article.lead_image is not None

    story = articles.get(slug="versus-story-7")
    detail = client.get(f"/api/v2/pages/{story.pk}/").json()
    assert len(detail["body"]) == 12 and len(detail["related_articles"]) == 3
    picked = {f"versus-story-{n}" for n in data["articles"][7]["related"]}
    assert {link.article.slug for link in story.related_links.all()} == picked


def test_strapi_gets_the_same_articles_and_pictures(tmp_path):
    data = versus_articles(5, pictures=2)
    write_versus_files(data, tmp_path)
    assert json.loads((tmp_path / "articles.json").read_text()) == data
    assert versus_articles(5, pictures=2) == data  # the same newsroom every time
    assert sorted(path.name for path in (tmp_path / "pictures").iterdir()) == [
        "picture-0.jpg",
        "picture-1.jpg",
    ]
