"""Tag pages (/tags/<slug>/): a tag's live, public stories, indexable, in the sitemap."""

import re

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from news.tests.factories import at, make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db


def text_of(element):
    return re.sub(r"\s+", " ", element.get_text(" ", strip=True))


def tag_page(client, slug="shipping", **params):
    response = client.get(f"/tags/{slug}/", params)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def headlines(html):
    return [text_of(h) for h in html.select(".card-list .card__headline")]


def canonical_of(html):
    return html.select_one('link[rel="canonical"]')["href"]


def robots_of(html):
    return [tag["content"] for tag in html.select('meta[name="robots"]')]


@pytest.fixture
def shipping(section):
    """Two live stories tagged "shipping", and others that must not show on its page."""
    make_article(section, "Port strike ends", tags=["shipping"], published_at=at(2024, 5, 5))
    make_article(section, "Harbour reopens", tags=["shipping"], published_at=at(2024, 5, 6))
    make_article(section, "Draft about ships", tags=["shipping"], publish=False)
    withdrawn = make_article(section, "Withdrawn", tags=["shipping"], published_at=at(2024, 5, 7))
    withdrawn.unpublish()
    private = make_article(section, "Members only", tags=["shipping"])
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    make_article(section, "Gales expected", tags=["storms"])


def test_tag_page_lists_the_tags_live_public_stories_newest_first(client, shipping):
    html = tag_page(client)
    assert headlines(html) == ["Harbour reopens", "Port strike ends"]
    assert text_of(html.select_one("main h1")) == "shipping"
    card = html.select_one(".card-list article.card")
    assert card.select_one(".card__headline a")["href"] == "/world/harbour-reopens/"
    assert text_of(card.select_one(".card__section")) == "World"


def test_tag_page_is_indexable_with_its_own_canonical_title_and_description(client, shipping):
    html = tag_page(client)
    assert not any("noindex" in robots for robots in robots_of(html))
    assert robots_of(html) == ["index, follow"]
    assert canonical_of(html) == "http://testserver/tags/shipping/"
    assert text_of(html.title) == "Stories about shipping | The Daily Ledger"
    description = html.select_one('meta[name="description"]')["content"]
    assert description == "The latest stories about shipping from The Daily Ledger, newest first."
    assert html.select_one('meta[property="og:url"]')["content"] == canonical_of(html)
    assert [link["href"] for link in html.select('link[rel="alternate"]')][-2:] == [
        "http://testserver/feeds/tag/shipping/rss/",
        "http://testserver/feeds/tag/shipping/atom/",
    ]


def test_tag_page_uses_the_tags_name_and_the_sites_name(client, section):
    make_article(section, "Wind farm opens", tags=["Wind Power"])
    site = section.get_site()
    site.site_name = "The Marlow Courier"
    site.save()
    html = tag_page(client, "wind-power")
    assert text_of(html.select_one("main h1")) == "Wind Power"
    assert html.select_one('meta[name="description"]')["content"] == (
        "The latest stories about Wind Power from The Marlow Courier, newest first."
    )


def test_later_pages_are_canonical_to_themselves_and_the_first_to_the_bare_address(
    client, section, settings
):
    settings.NEWS_ARTICLES_PER_PAGE = 2
    for day in range(1, 6):
        make_article(section, f"Ship story {day}", tags=["shipping"], published_at=at(2024, 1, day))
    first, explicit_first = tag_page(client), tag_page(client, page=1)
    assert canonical_of(first) == canonical_of(explicit_first) == "http://testserver/tags/shipping/"
    second = tag_page(client, page=2)
    assert headlines(second) == ["Ship story 3", "Ship story 2"]
    assert canonical_of(second) == "http://testserver/tags/shipping/?page=2"
    assert text_of(second.title) == "Stories about shipping, page 2 | The Daily Ledger"
    # Back to the first page by its canonical address, on to the next by its own.
    assert second.select_one(".pagination a[rel=prev]")["href"] == "/tags/shipping/"
    assert second.select_one(".pagination a[rel=next]")["href"] == "?page=3"
    assert headlines(tag_page(client, page=3)) == ["Ship story 1"]


@pytest.mark.parametrize("page", ["4", "0", "-1", "abc", "1.5", "", "%00", "9" * 30])
def test_a_page_past_the_last_or_not_a_number_is_404(client, section, settings, page):
    settings.NEWS_ARTICLES_PER_PAGE = 2
    for day in range(1, 6):
        make_article(section, f"Ship story {day}", tags=["shipping"], published_at=at(2024, 1, day))
    assert client.get("/tags/shipping/", {"page": page}).status_code == 404


def test_a_tag_without_a_live_public_story_is_404(client, shipping, home_page):
    assert client.get("/tags/no-such-tag/").status_code == 404
    section = make_section(home_page, "Business")
    make_article(section, "Draft only", tags=["drafts"], publish=False)
    private = make_article(section, "Private only", tags=["secrets"])
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    for slug in ("drafts", "secrets"):
        response = client.get(f"/tags/{slug}/")
        assert response.status_code == 404, slug
        assert b"Draft only" not in response.content
        assert b"Private only" not in response.content


def test_tag_page_accepts_a_unicode_slug(client, section):
    make_article(section, "Coffee prices", tags=["café"])
    assert headlines(tag_page(client, "café")) == ["Coffee prices"]


def test_article_tags_link_to_their_tag_pages(client, section):
    story = make_article(section, "Harbour reopens", tags=["storms", "shipping"])
    html = BeautifulSoup(client.get(story.url).content, "html.parser")
    links = sorted(a["href"] for a in html.select("ul.tags a"))
    assert links == ["/tags/shipping/", "/tags/storms/"]


def test_the_search_address_of_a_tag_moved_to_its_page_for_good(client, shipping):
    response = client.get("/search/", {"tag": "shipping"})
    assert response.status_code == 301
    assert response["Location"] == "/tags/shipping/"
    response = client.get("/search/", {"tag": "shipping", "page": "2"})
    assert response["Location"] == "/tags/shipping/?page=2"
    # With words or another filter it is still a search.
    assert client.get("/search/", {"tag": "shipping", "q": "harbour"}).status_code == 200
    assert client.get("/search/", {"tag": "shipping", "section": "world"}).status_code == 200


def test_the_tag_feed_links_to_the_tag_page(client, shipping):
    response = client.get("/feeds/tag/shipping/rss/")
    assert b"<link>http://testserver/tags/shipping/</link>" in response.content


def test_tag_page_query_count_does_not_grow_with_its_stories(
    client, section, uncached, django_assert_max_num_queries
):
    picture = make_image()
    author = make_author("Jane Doe")
    for n in range(2):
        make_article(section, f"Story {n}", lead_image=picture, authors=[author], tags=["a"])
    client.get("/tags/a/")  # warm renditions
    with django_assert_max_num_queries(20) as few:
        client.get("/tags/a/")
    for n in range(2, 12):
        make_article(
            section, f"Story {n}", lead_image=picture, authors=[author], tags=["a", f"t{n}"]
        )
    with django_assert_max_num_queries(len(few)):
        assert len(headlines(tag_page(client, "a"))) == 12


def test_a_cached_tag_page_shows_a_new_story_at_once(client, shipping, section):
    first = client.get("/tags/shipping/")
    assert client.get("/tags/shipping/").get("X-Cache") == "hit"
    make_article(section, "Ferries resume", tags=["shipping"])
    again = client.get("/tags/shipping/")
    assert again.content != first.content
    assert b"Ferries resume" in again.content
