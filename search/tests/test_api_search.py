"""API ?search= (v2 and v3): the reader search's index and ranking, with the API's filters."""

import pytest

from news.tests.factories import at, make_article, make_section, paragraph

pytestmark = pytest.mark.django_db


def v2_titles(client, **params):
    response = client.get(
        "/api/v2/pages/", {"type": "news.ArticlePage", "fields": "_,title", **params}
    )
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def v3_titles(client, **params):
    response = client.get("/api/v3/pages/", {"type": "news.ArticlePage", **params})
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


@pytest.fixture
def harbour_stories(home_page, section):
    business = make_section(home_page, "Business")
    make_article(
        section,
        "Council notes",
        body=[paragraph("<p>Harbour fees, harbour dues, harbour lights, harbour walls.</p>")],
        published_at=at(2024, 3, 3),
    )
    make_article(
        section,
        "Harbour reopens after a long and difficult winter of storms and repairs",
        tags=["ports"],
        published_at=at(2024, 3, 1),
    )
    make_article(business, "Harbour fees rise", tags=["ports"], published_at=at(2024, 3, 2))
    make_article(section, "Bridge closed", published_at=at(2024, 3, 4))
    return {"section": section, "business": business}


HEADLINES_NEWEST_FIRST = [
    "Harbour fees rise",
    "Harbour reopens after a long and difficult winter of storms and repairs",
    "Council notes",
]


@pytest.mark.parametrize("titles", [v2_titles, v3_titles])
def test_headline_matches_rank_above_a_body_only_match_newest_first(
    client, harbour_stories, titles
):
    assert titles(client, search="harbour") == HEADLINES_NEWEST_FIRST


def test_api_search_combines_with_section_date_and_tag_filters(client, harbour_stories):
    section, business = harbour_stories["section"], harbour_stories["business"]
    assert v2_titles(client, search="harbour", child_of=section.pk) == HEADLINES_NEWEST_FIRST[1:]
    assert v2_titles(client, search="harbour", child_of=business.pk) == ["Harbour fees rise"]
    assert v2_titles(client, search="harbour", tags="ports") == HEADLINES_NEWEST_FIRST[:2]
    assert v2_titles(
        client, search="harbour", published_after="2024-03-02", published_before="2024-03-04"
    ) == ["Harbour fees rise", "Council notes"]
    assert v3_titles(client, search="harbour", child_of=business.pk) == ["Harbour fees rise"]


def test_api_search_counts_and_pages_its_results(client, harbour_stories):
    response = client.get(
        "/api/v2/pages/",
        {"type": "news.ArticlePage", "fields": "_,title", "search": "harbour", "limit": 1},
    )
    assert response.json()["meta"]["total_count"] == 3
    assert v2_titles(client, search="harbour", limit=1, offset=1) == [HEADLINES_NEWEST_FIRST[1]]


def test_api_search_with_an_order_keeps_that_order(client, harbour_stories):
    assert v2_titles(client, search="harbour", order="title") == sorted(HEADLINES_NEWEST_FIRST)


@pytest.mark.parametrize("titles", [v2_titles, v3_titles])
def test_a_query_with_nothing_searchable_finds_nothing_rather_than_failing(
    client, harbour_stories, titles
):
    assert titles(client, search="-") == []
