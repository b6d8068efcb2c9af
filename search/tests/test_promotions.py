"""Editors' picks: Wagtail's search promotions pin stories to the top of a query's results."""

import re

import pytest
from bs4 import BeautifulSoup
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from news.tests.factories import at, make_article

pytestmark = pytest.mark.django_db


def text_of(element):
    return re.sub(r"\s+", " ", element.get_text(" ", strip=True))


def pin(query_string, page=None, **fields):
    query = Query.objects.get_or_create(query_string=query_string)[0]
    return SearchPromotion.objects.create(query=query, page=page, **fields)


def page_of(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_a_pinned_story_leads_and_is_not_listed_twice(client, section):
    explainer = make_article(section, "What the budget means for you", published_at=at(2024, 1, 1))
    make_article(section, "Budget vote tonight", published_at=at(2024, 2, 1))
    make_article(section, "Budget passes", published_at=at(2024, 2, 2))
    pin("budget", page=explainer, description="Our guide.")
    html = page_of(client, q="Budget ")  # promotions match the normalised query
    picks = html.select(".search__picks .card__headline")
    assert [text_of(h) for h in picks] == ["What the budget means for you"]
    listed = [text_of(h) for h in html.select(".card-list .card__headline")]
    assert listed == ["Budget passes", "Budget vote tonight"]


def test_a_pin_on_an_unpublished_or_private_story_is_not_shown(client, section):
    from wagtail.models import PageViewRestriction

    withdrawn = make_article(section, "Budget leak")
    withdrawn.unpublish()
    private = make_article(section, "Budget memo")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    draft = make_article(section, "Budget draft", publish=False)
    for page in (withdrawn, private, draft):
        pin("budget", page=page)
    html = page_of(client, q="budget")
    assert html.select_one(".search__picks") is None
    assert "Budget leak" not in html.get_text()


def test_an_external_link_can_be_pinned(client, section):
    pin(
        "election",
        external_link_url="https://results.example.com/",
        external_link_text="Live results",
    )
    html = page_of(client, q="election")
    link = html.select_one(".search__picks a")
    assert link["href"] == "https://results.example.com/"
    assert text_of(link) == "Live results"
    assert html.select_one(".search__empty") is None


def test_reader_searches_do_not_store_queries(client, section):
    page_of(client, q="anything at all")
    assert not Query.objects.exists()


def test_picks_lead_only_the_first_page_of_a_plain_query(client, section):
    explainer = make_article(section, "Budget explained")
    pin("budget", page=explainer)
    assert page_of(client, q="budget", page=2).select_one(".search__picks") is None
    assert page_of(client, q="budget", section="world").select_one(".search__picks") is None


def test_editors_manage_picks_in_the_admin(client, editor, writer):
    client.force_login(editor)
    assert client.get("/admin/searchpicks/").status_code == 200
    assert client.get("/admin/searchpicks/add/").status_code == 200
    client.force_login(writer)
    assert client.get("/admin/searchpicks/").status_code in (302, 403)
