"""The /search/ reader page: results, filters, pagination, the empty page and bad input."""

import re

import pytest
from bs4 import BeautifulSoup

from news.tests.factories import at, make_article, make_image, make_section

pytestmark = pytest.mark.django_db


def text_of(element):
    return re.sub(r"\s+", " ", element.get_text(" ", strip=True))


def search_page(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def headlines(html):
    return [text_of(h) for h in html.select(".card-list .card__headline")]


@pytest.fixture
def business(home_page):
    return make_section(home_page, "Business")


def test_result_shows_headline_teaser_section_date_and_thumbnail(client, section):
    make_article(
        section,
        "Port strike ends",
        intro="Dockers return to work.",
        lead_image=make_image(),
        published_at=at(2024, 5, 6),
    )
    html = search_page(client, q="strike")
    card = html.select_one(".card-list article.card")
    assert text_of(card.select_one(".card__headline")) == "Port strike ends"
    assert card.select_one(".card__headline a")["href"] == "/world/port-strike-ends/"
    assert text_of(card.select_one(".card__teaser")) == "Dockers return to work."
    assert text_of(card.select_one(".card__section")) == "World"
    assert card.select_one("time")["datetime"].startswith("2024-05-06")
    assert "fill-480x270" in card.select_one("img")["src"]
    assert text_of(html.select_one(".search__count")) == "1 result"


def test_results_are_paginated_and_keep_the_filters(client, section, settings):
    settings.NEWS_ARTICLES_PER_PAGE = 2
    for day in range(1, 6):
        make_article(section, f"Storm day {day}", published_at=at(2024, 1, day))
    html = search_page(client, q="storm", section="world", page=2)
    assert headlines(html) == ["Storm day 3", "Storm day 2"]
    assert "Page 2 of 3" in text_of(html.select_one(".pagination"))
    next_link = html.select_one(".pagination a[rel=next]")["href"]
    assert "q=storm" in next_link and "section=world" in next_link and "page=3" in next_link


def test_no_results_page_says_so_clearly(client, section):
    make_article(section, "Port strike ends")
    html = search_page(client, q="volcano")
    assert html.select_one(".card-list") is None
    assert "No stories match “volcano”" in text_of(html.select_one(".search__empty"))


def test_the_query_is_echoed_inert(client, section):
    query = '<script>alert("x")</script>'
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert b"<script>alert" not in response.content
    html = BeautifulSoup(response.content, "html.parser")
    assert not any("alert" in script.get_text() for script in html.find_all("script"))
    assert "<script>alert(" in text_of(html.select_one("h1"))  # shown as text
    assert html.select_one("#search-q")["value"] == query


def test_section_filter_keeps_only_that_sections_stories(client, section, business):
    make_article(section, "Oil spill off the coast")
    make_article(business, "Oil price falls")
    assert headlines(search_page(client, q="oil", section="business")) == ["Oil price falls"]


def test_date_range_is_inclusive_of_both_days(client, section):
    make_article(section, "Flood one", published_at=at(2024, 3, 1, hour=0))
    make_article(section, "Flood two", published_at=at(2024, 3, 2, hour=23))
    make_article(section, "Flood three", published_at=at(2024, 3, 3))
    html = search_page(client, q="flood", **{"from": "2024-03-01", "to": "2024-03-02"})
    assert sorted(headlines(html)) == ["Flood one", "Flood two"]


def test_filters_without_words_list_newest_first(client, section, business):
    make_article(business, "Older", published_at=at(2024, 1, 1))
    make_article(business, "Newer", published_at=at(2024, 2, 1))
    make_article(section, "Elsewhere", published_at=at(2024, 3, 1))
    assert headlines(search_page(client, section="business")) == ["Newer", "Older"]


def test_tag_filter_works_with_words_or_another_filter(client, section, business):
    make_article(section, "Storm hits coast", tags=["storms"], published_at=at(2024, 1, 2))
    make_article(section, "Coast guard drill", published_at=at(2024, 1, 3))
    make_article(section, "Gales expected", tags=["storms"], published_at=at(2024, 1, 1))
    make_article(business, "Insurers count the cost", tags=["storms"])
    html = search_page(client, tag="storms", section="world")
    assert headlines(html) == ["Storm hits coast", "Gales expected"]
    assert text_of(html.select_one("h1")) == "Stories tagged “storms”"
    assert headlines(search_page(client, tag="storms", q="coast")) == ["Storm hits coast"]
    # A tag alone is the tag's page (news/tests/test_tag_pages.py).
    assert client.get("/search/", {"tag": "storms"})["Location"] == "/tags/storms/"


def robots_of(html):
    return [tag["content"] for tag in html.select('meta[name="robots"]')]


def test_the_search_form_is_an_indexable_page_with_its_own_canonical(client, section):
    html = search_page(client)
    assert robots_of(html) == []
    assert html.select_one('link[rel="canonical"]')["href"] == "http://testserver/search/"
    assert "Search the paper" in html.select_one('meta[name="description"]')["content"]
    assert text_of(html.select_one("h1")) == "Search"


@pytest.mark.parametrize(
    "params",
    [
        {"q": "harbour"},
        {"q": "zeppelin"},
        {"section": "world"},
        {"from": "2024-01-01"},
        {"tag": "storms", "q": "harbour"},
        {"tag": "storms", "section": "world"},
    ],
)
def test_search_results_are_noindex_and_name_no_canonical(client, section, params):
    # Internal search results stay out of search engines (search/views.py); their links
    # are still followed.
    make_article(section, "Harbour reopens", tags=["storms"], published_at=at(2024, 3, 1))
    html = search_page(client, **params)
    assert robots_of(html) == ["noindex, follow"]
    assert html.select_one('link[rel="canonical"]') is None


def test_drafts_unpublished_and_private_stories_never_appear(client, section):
    from wagtail.models import PageViewRestriction

    make_article(section, "Ferry draft", publish=False)
    gone = make_article(section, "Ferry withdrawn")
    gone.unpublish()
    private = make_article(section, "Ferry private")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    make_article(section, "Ferry public")
    assert headlines(search_page(client, q="ferry")) == ["Ferry public"]


def test_query_count_does_not_grow_with_results(
    client, section, settings, django_assert_max_num_queries
):
    settings.NEWS_ARTICLES_PER_PAGE = 20
    # Every card drawn (search/tests/test_kept_cards.py counts them kept).
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 0
    picture = make_image()
    for n in range(2):
        make_article(section, f"Tide story {n}", lead_image=picture, tags=[f"t{n}"])
    client.get("/search/", {"q": "tide"})  # warm renditions
    with django_assert_max_num_queries(30) as few:
        client.get("/search/", {"q": "tide"})
    for n in range(2, 10):
        make_article(section, f"Tide story {n}", lead_image=picture, tags=[f"t{n}"])
    with django_assert_max_num_queries(len(few)):
        html = search_page(client, q="tide")
    assert len(headlines(html)) == 10


BAD_INPUT = [
    {"q": "x" * 5000},
    {"q": "harbour\x00"},
    {"q": '"harbour'},
    {"q": 'harbour"'},
    {"q": '"harbour" "'},
    {"q": "'harbour"},
    {"q": "harbour" + " and" * 100},
    {"q": "\\ % _ * ( ) : ^ - NEAR( AND OR NOT"},
    {"q": "!!!"},
    {"q": "   "},
    {"section": "no-such-section"},
    {"section": "world\x00"},
    {"section": "x" * 5000},
    {"from": "2024-13-45"},
    {"from": "yesterday"},
    {"from": "0001-01-01"},
    {"to": "9999-12-31"},
    {"from": "2024-03-02", "to": "2024-03-01"},
    {"from": "\x00"},
    {"tag": "no such tag!"},
    {"tag": "storms\x00"},
    {"tag": "x" * 5000},
    {"page": "abc"},
    {"page": "-1"},
    {"page": "99999999999999999999"},
    {"page": "\x00"},
]


@pytest.mark.parametrize("params", BAD_INPUT, ids=lambda params: repr(params)[:40])
def test_bad_input_is_never_a_server_error(client, section, params):
    make_article(section, "Harbour reopens", tags=["storms"], published_at=at(2024, 3, 1))
    response = client.get("/search/", {"q": "harbour", **params})
    assert response.status_code == 200


@pytest.mark.parametrize("page", ["abc", "-1", "0", "\x00", "9" * 30, "2"])
def test_a_tag_alone_with_any_page_number_goes_to_its_page_never_an_error(client, section, page):
    make_article(section, "Harbour reopens", tags=["storms"])
    response = client.get("/search/", {"tag": "storms", "page": page}, follow=True)
    assert response.redirect_chain[0][1] == 301
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2024-13-45"}, "From: Enter the date as YYYY-MM-DD"),
        ({"section": "atlantis"}, "Section: Select a valid choice."),
        ({"from": "2024-03-02", "to": "2024-03-01"}, "The “from” date is after the “to” date."),
        ({"q": "x" * 201}, "Words: The search text may be at most 200 characters"),
    ],
)
def test_bad_filters_are_reported_and_left_out(client, section, params, message):
    make_article(section, "Harbour reopens", published_at=at(2024, 3, 1))
    html = search_page(client, **{"q": "harbour", **params})
    assert message in text_of(html.select_one(".search__errors"))
    if "q" not in params:
        assert headlines(html) == ["Harbour reopens"]
