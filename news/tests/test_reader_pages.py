"""Reader pages: the article and section pages show what a news site shows."""

import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.models import FRONT_SIZE, ArticlePage
from news.tests.factories import (
    at,
    make_article,
    make_author,
    make_full_story,
    make_image,
    paragraph,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(section):
    return make_full_story(section)


@pytest.fixture
def article_html(client, story):
    response = client.get(story.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def text_of(element):
    return re.sub(r"\s+", " ", element.get_text(" ", strip=True))


def test_article_shows_breadcrumb_headline_and_standfirst(article_html):
    breadcrumb = article_html.select_one("nav.breadcrumb")
    assert text_of(breadcrumb) == "You are here: Home World"
    assert [a["href"] for a in breadcrumb.select("a")] == ["/", "/world/"]
    assert text_of(article_html.select_one("h1")) == "Harbour reopens after storm"
    assert "Ships sail again" in text_of(article_html.select_one(".article__standfirst"))


def test_article_byline_line_names_authors_and_dates(article_html, story):
    line = text_of(article_html.select_one(".article__byline"))
    updated = story.last_published_at.strftime("%B %-d, %Y")
    assert line == f"By Jane Doe and AFP - May 6, 2024 - Last updated at {updated}"


def test_article_lead_image_has_srcset_caption_credit_and_alt(article_html):
    figure = article_html.select_one("figure.article__lead-image")
    image = figure.select_one("img")
    assert image["alt"] == "Fishing boats moored in a harbour"
    assert len(image["srcset"].split(",")) == 3
    assert "Boats wait at the quay." in text_of(figure.figcaption)
    assert text_of(figure.select_one(".credit")) == "AFP photo"


def test_article_lead_image_alt_text_overrides_the_image_description(client, story):
    story.lead_image_alt = "Boats in the rain"
    story.save_revision().publish()
    html = BeautifulSoup(client.get(story.url).content, "html.parser")
    assert html.select_one("figure.article__lead-image img")["alt"] == "Boats in the rain"


def test_dateline_leads_the_first_paragraph(article_html):
    first = article_html.select_one(".article__body p")
    assert text_of(first).startswith("PORT ELLIS, Marlow Coast — The harbour reopened on Monday")
    assert first.select_one("b").text == "reopened"


def test_article_renders_every_body_block(article_html):
    body = article_html.select_one(".article__body")
    assert text_of(body.select_one("h2")) == "What happens next"
    image = body.select_one("figure.body-image")
    assert image.img["alt"] == "A crane lifting a container"
    assert "Cargo moves again." in text_of(image.figcaption)
    assert text_of(image.select_one(".credit")) == "Ledger photo"
    quote = body.select_one("figure.body-quote")
    assert text_of(quote.blockquote) == "We are open for business."
    assert text_of(quote.figcaption) == "— Harbour master"
    assert body.select_one(".body-embed iframe")["title"] == "Harbour master interview"
    assert [text_of(li) for li in body.select("ul li")] == ["Ferries resume", "Fish market opens"]


def test_dateline_without_a_paragraph_still_shows(client, section):
    article = make_article(section, "Pictures only", dateline="OSLO", body=[("heading", "Gallery")])
    html = BeautifulSoup(client.get(article.url).content, "html.parser")
    assert text_of(html.select_one(".article__body .dateline")) == "OSLO"


def test_article_lists_its_tags(article_html):
    tags = [text_of(a) for a in article_html.select("ul.tags a")]
    assert sorted(tags) == ["shipping", "storms"]


def test_related_articles_panel_shows_thumbnail_headline_teaser_and_link(article_html):
    panel = article_html.select_one("aside.related")
    assert text_of(panel.h2) == "Related Articles"
    card = panel.select_one("article.card")
    assert card.select_one("h3 a")["href"] == "/world/port-strike-ends/"
    assert text_of(card.select_one("h3")) == "Port strike ends"
    assert text_of(card.select_one(".card__teaser")) == "Dockers return."
    assert "fill-480x270" in card.select_one("img")["src"]


def test_draft_article_is_not_served(client, section):
    draft = make_article(section, "Secret draft", publish=False)
    assert client.get(f"{section.url}{draft.slug}/").status_code == 404


def test_section_page_lists_newest_first_with_teasers_and_thumbnails(client, section):
    picture = make_image()
    make_article(section, "Older story", intro="Old news.", published_at=at(2024, 1, 1))
    make_article(
        section, "Newer story", intro="Fresh news.", lead_image=picture, published_at=at(2024, 2, 1)
    )
    make_article(section, "Unpublished story", publish=False)
    html = BeautifulSoup(client.get(section.url).content, "html.parser")
    headlines = [text_of(h) for h in html.select(".card__headline")]
    assert headlines == ["Newer story", "Older story"]
    assert [text_of(p) for p in html.select(".card__teaser")] == ["Fresh news.", "Old news."]
    # The newest leads the section's front with its picture.
    assert html.select_one(".lead-story article.card img[srcset]") is not None


def test_section_page_is_paginated(client, section, settings):
    settings.NEWS_ARTICLES_PER_PAGE = 2
    # The front shows the newest FRONT_SIZE; the listing pages through the other five.
    for day in range(1, FRONT_SIZE + 6):
        make_article(section, f"Story {day}", published_at=at(2024, 1, day))
    html = BeautifulSoup(client.get(section.url, {"page": 2}).content, "html.parser")
    assert [text_of(h) for h in html.select(".card__headline")] == ["Story 3", "Story 2"]
    assert html.select_one(".front") is None
    assert "Page 2 of 3" in text_of(html.select_one(".pagination"))


@pytest.mark.parametrize("page", ["abc", "-1", "0", "999", "1.5", "", "%00"])
def test_section_page_survives_a_bad_page_number(client, section, settings, page):
    settings.NEWS_ARTICLES_PER_PAGE = 2
    for day in range(1, 4):
        make_article(section, f"Story {day}", published_at=at(2024, 1, day))
    response = client.get(section.url, {"page": page})
    assert response.status_code == 200
    assert b"card__headline" in response.content


def test_section_page_query_count_does_not_grow_with_articles(
    client, section, uncached, django_assert_max_num_queries
):
    picture = make_image()
    # A full front and a listing below it.
    for n in range(FRONT_SIZE + 2):
        make_article(section, f"Story {n}", lead_image=picture, tags=["a", f"t{n}"])
    client.get(section.url)  # warm renditions
    with django_assert_max_num_queries(30) as few:
        client.get(section.url)
    for n in range(FRONT_SIZE + 2, FRONT_SIZE + 12):
        make_article(section, f"Story {n}", lead_image=picture, tags=["a", f"t{n}"])
    with django_assert_max_num_queries(len(few)):
        client.get(section.url)


def test_article_page_query_count_does_not_grow_with_related_tags_bylines_or_pictures(
    client, section, uncached, django_assert_max_num_queries
):
    picture = make_image()

    def picture_block(n):
        return (
            "image",
            {"image": make_image(f"Inline {n}"), "caption": "", "credit": "", "alt": ""},
        )

    small = make_article(
        section,
        "Small story",
        lead_image=picture,
        tags=["t0"],
        authors=[make_author("Writer 0")],
        related=[make_article(section, "Related 0", lead_image=picture)],
        body=[paragraph("<p>One.</p>"), picture_block(0)],
    )
    client.get(small.url)  # warm renditions
    # The byline, tags, notes and lead picture read once for the whole page, the view
    # restrictions once per process and site version (was 43).
    with django_assert_max_num_queries(29) as few:
        client.get(small.url)
    # Counted now: the connection keeps only its last 9,000 queries, and building the big
    # story runs more than that.
    small_queries = len(few)

    big = make_article(
        section,
        "Big story",
        lead_image=picture,
        tags=[f"t{n}" for n in range(8)],
        authors=[make_author(f"Writer {n}") for n in range(4)],
        related=[make_article(section, f"Related {n}", lead_image=picture) for n in range(1, 6)],
        body=[paragraph("<p>One.</p>"), *(picture_block(n) for n in range(1, 5))],
    )
    for n in range(10):
        make_article(section, f"Filler {n}", lead_image=picture, tags=[f"t{n % 8}"])
    client.get(big.url)
    with django_assert_max_num_queries(small_queries):
        client.get(big.url)


def test_the_article_page_reads_its_byline_tags_notes_and_picture_once(client, story, uncached):
    # The page, its JSON-LD, its share tags and its dependency names each read them; the
    # related cards come in one query of their own.
    client.get(story.url)  # renditions made
    with CaptureQueriesContext(connection) as queries:
        assert client.get(story.url).status_code == 200
    tables = [re.search(r'FROM "(\w+)"', query["sql"]) for query in queries.captured_queries]
    read = [table.group(1) for table in tables if table]
    assert read.count("news_correctionnote") == 1
    assert read.count("taggit_tag") == 1
    assert read.count("news_articleauthor") == 2  # the story's byline, the related cards'
    assert read.count("news_picturerights") == 0  # with the pictures
    of_the_lead = re.compile(rf'"image_id" (= |IN \(){story.lead_image_id}\b')
    lead_renditions = [
        query
        for query in queries.captured_queries
        if 'FROM "wagtailimages_rendition"' in query["sql"] and of_the_lead.search(query["sql"])
    ]
    assert len(lead_renditions) == 1


def test_navigation_lists_the_sections(article_html):
    nav = [text_of(a) for a in article_html.select("nav.sections a")]
    assert nav == ["World"]
    assert article_html.select_one("nav.sections a")["aria-current"] == "page"


def test_unknown_url_gets_the_friendly_404(client, section):
    response = client.get("/no-such-story/")
    assert response.status_code == 404
    assert b"We couldn\xe2\x80\x99t find that page" in response.content


def test_server_error_gets_the_friendly_500(client, section, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(ArticlePage, "get_context", explode)
    article = make_article(section, "Breaks")
    client.raise_request_exception = False
    response = client.get(article.url)
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content


@pytest.mark.parametrize("listing", ["section", "home"])
def test_a_listing_page_computes_cards_only(client, section, uncached, listing):
    # Issue 24, "work follows the fields asked for": a card shows no related articles and no
    # embed, so the reader's section and home pages neither choose related stories nor read
    # the embeds of the bodies they list.
    earlier = make_article(section, "Earlier story", tags=["harbour"])
    make_article(
        section,
        "Later story",
        tags=["harbour"],
        related=[earlier],
        body=[paragraph("<p>Ferries resume.</p>"), ("embed", "https://video.example.com/1")],
    )
    path = section.url if listing == "section" else "/"
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {"_": "fresh"})
    assert response.status_code == 200 and b"Later story" in response.content
    tables = " ".join(query["sql"] for query in captured.captured_queries)
    assert "news_relatedarticle" not in tables
    assert "wagtailembeds_embed" not in tables
