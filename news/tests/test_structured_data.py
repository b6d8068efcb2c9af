"""What search engines and social sites read: JSON-LD, Open Graph, Twitter cards, canonical."""

import json

import pytest
from bs4 import BeautifulSoup

from news.models import FRONT_SIZE
from news.seo import json_ld
from news.tests.factories import at, make_article, make_author, make_image, paragraph

pytestmark = pytest.mark.django_db


def head_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, BeautifulSoup(response.content, "html.parser").head


def structured_data(head):
    return {data["@type"]: data for data in map(json.loads, scripts_of(head))}


def scripts_of(head):
    return [script.string for script in head.select('script[type="application/ld+json"]')]


def meta(head, key):
    tag = head.select_one(f'meta[property="{key}"]') or head.select_one(f'meta[name="{key}"]')
    return tag["content"] if tag else None


@pytest.fixture
def story(section):
    picture = make_image("Harbour", description="Boats in the harbour")
    return make_article(
        section,
        "Harbour reopens",
        intro="Ships sail again.",
        dateline="PORT ELLIS",
        authors=[make_author("Jane Doe"), make_author("AFP", kind="agency")],
        lead_image=picture,
        tags=["shipping"],
        published_at=at(2024, 5, 6),
    )


def test_article_carries_news_article_json_ld(client, story):
    _, head = head_of(client, story.url)
    article = structured_data(head)["NewsArticle"]
    assert article["@context"] == "https://schema.org"
    assert article["headline"] == "Harbour reopens"
    assert article["description"] == "Ships sail again."
    assert article["url"] == "http://testserver/world/harbour-reopens/"
    assert article["mainEntityOfPage"]["@id"] == article["url"]
    assert article["datePublished"].startswith("2024-05-06T12:00:00")
    assert article["dateModified"] == story.last_published_at.isoformat()
    assert article["author"] == [
        {"@type": "Person", "name": "Jane Doe"},
        {"@type": "Organization", "name": "AFP"},
    ]
    assert article["publisher"] == {
        "@type": "Organization",
        "name": "The Daily Ledger",
        "url": "http://testserver/",
    }
    [image] = article["image"]
    assert image["url"].startswith("http://testserver/media/images/")
    assert "width-1600" in image["url"]
    assert (image["width"], image["height"]) == (1200, 800)
    assert article["articleSection"] == "World"
    assert article["dateline"] == "PORT ELLIS"
    assert article["keywords"] == ["shipping"]


def test_article_and_section_carry_a_breadcrumb_list(client, story):
    _, head = head_of(client, "/world/")
    crumbs = structured_data(head)["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Home", "http://testserver/"),
        (2, "World", "http://testserver/world/"),
    ]
    _, head = head_of(client, story.url)
    crumbs = structured_data(head)["BreadcrumbList"]["itemListElement"]
    assert [c["name"] for c in crumbs] == ["Home", "World", "Harbour reopens"]


def test_article_has_open_graph_twitter_and_canonical_tags(client, story):
    _, head = head_of(client, story.url)
    url = "http://testserver/world/harbour-reopens/"
    assert head.select_one('link[rel="canonical"]')["href"] == url
    assert meta(head, "og:type") == "article"
    assert meta(head, "og:title") == "Harbour reopens"
    assert meta(head, "og:description") == "Ships sail again."
    assert meta(head, "og:url") == url
    assert meta(head, "og:site_name") == "The Daily Ledger"
    assert "width-1600" in meta(head, "og:image")
    assert meta(head, "og:image").startswith("http://testserver/media/")
    assert meta(head, "og:image:alt") == "Boats in the harbour"
    assert meta(head, "article:published_time").startswith("2024-05-06")
    assert meta(head, "article:section") == "World"
    assert meta(head, "twitter:card") == "summary_large_image"
    assert meta(head, "twitter:image") == meta(head, "og:image")


def test_article_without_a_picture_gets_a_plain_card(client, section):
    article = make_article(section, "No picture")
    _, head = head_of(client, article.url)
    assert meta(head, "twitter:card") == "summary"
    assert meta(head, "og:image") is None
    assert "image" not in structured_data(head)["NewsArticle"]


def test_a_headline_cannot_break_out_of_the_json_ld_script(client, section):
    headline = "Bad </script><script>alert(1)</script> & <!-- news"
    article = make_article(section, headline, slug="bad-headline", body=[paragraph("<p>Hi.</p>")])
    response, head = head_of(client, article.url)
    assert b"<script>alert(1)" not in response.content
    for text in scripts_of(head):
        assert "<" not in text and ">" not in text
    assert structured_data(head)["NewsArticle"]["headline"] == headline


def test_json_ld_escapes_markup_characters():
    text = json_ld({"headline": "</script> & <b>"})
    assert str(text) == '{"headline": "\\u003C/script\\u003E \\u0026 \\u003Cb\\u003E"}'
    assert json.loads(text) == {"headline": "</script> & <b>"}


def test_section_page_canonical_names_the_page_number(client, section, settings):
    settings.NEWS_ARTICLES_PER_PAGE = 1
    # The front shows the newest FRONT_SIZE; the listing pages through the other two.
    for n in range(FRONT_SIZE + 2):
        make_article(section, f"Story {n}")
    _, head = head_of(client, "/world/?page=2")
    assert head.select_one('link[rel="canonical"]')["href"] == "http://testserver/world/?page=2"
    _, head = head_of(client, "/world/?page=abc")
    assert head.select_one('link[rel="canonical"]')["href"] == "http://testserver/world/"
