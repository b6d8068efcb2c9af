"""RSS and Atom feeds: valid for feedparser, newest live public stories only, with lead images."""

import feedparser
import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from news.tests.factories import at, make_article, make_author, make_image, make_section

pytestmark = pytest.mark.django_db

FEEDS = ["/feeds/rss/", "/feeds/atom/"]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


@pytest.fixture
def story(section):
    return make_article(
        section,
        "Harbour reopens & ships <sail>",
        intro="Boats return after a week.",
        authors=[make_author("Jane Doe"), make_author("AFP", kind="agency")],
        lead_image=make_image(),
        tags=["shipping"],
        published_at=at(2024, 5, 6),
    )


@pytest.mark.parametrize("url", FEEDS)
def test_feed_item_has_headline_link_teaser_author_date_and_image(client, story, url):
    response, feed = parse(client, url)
    assert feed.version == ("rss20" if "rss" in url else "atom10")
    [entry] = feed.entries
    assert entry.title == "Harbour reopens & ships <sail>"
    assert entry.link == "http://testserver/world/harbour-reopens-ships-sail/"
    assert entry.summary == "Boats return after a week."
    assert entry.author == "Jane Doe and AFP"
    assert entry.published_parsed[:3] == (2024, 5, 6)
    assert [tag.term for tag in entry.tags] == ["shipping"]
    [enclosure] = entry.enclosures
    assert enclosure.href.startswith("http://testserver/media/images/")
    assert "width-1600" in enclosure.href
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) > 0
    assert entry.media_content[0]["url"] == enclosure.href
    assert entry.id.startswith("tag:testserver,2024-05-06:article:")


@pytest.mark.parametrize("url", FEEDS)
def test_feed_lists_newest_first_without_drafts_or_private_stories(client, section, url):
    make_article(section, "Older", published_at=at(2024, 1, 1))
    make_article(section, "Newer", published_at=at(2024, 1, 2))
    make_article(section, "Draft", publish=False)
    withdrawn = make_article(section, "Withdrawn")
    withdrawn.unpublish()
    private = make_article(section, "Private")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    _, feed = parse(client, url)
    assert [entry.title for entry in feed.entries] == ["Newer", "Older"]


def test_feed_holds_only_the_newest_stories(client, section, monkeypatch):
    monkeypatch.setattr("news.feeds.FEED_LENGTH", 3)
    for day in range(1, 6):
        make_article(section, f"Story {day}", published_at=at(2024, 1, day))
    _, feed = parse(client, "/feeds/rss/")
    assert [entry.title for entry in feed.entries] == ["Story 5", "Story 4", "Story 3"]


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_section_feed_holds_only_that_section(client, home_page, section, kind):
    business = make_section(home_page, "Business", intro="Money and markets.")
    make_article(section, "World story")
    make_article(business, "Business story")
    _, feed = parse(client, f"/feeds/section/business/{kind}/")
    assert [entry.title for entry in feed.entries] == ["Business story"]
    assert feed.feed.title == "The Daily Ledger: Business"
    assert feed.feed.link == "http://testserver/business/"


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_tag_feed_holds_only_stories_with_that_tag(client, section, kind):
    make_article(section, "Tagged", tags=["storms"])
    make_article(section, "Untagged", tags=["sport"])
    make_article(section, "Tagged draft", tags=["storms"], publish=False)
    _, feed = parse(client, f"/feeds/tag/storms/{kind}/")
    assert [entry.title for entry in feed.entries] == ["Tagged"]


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/section/no-such-section/rss/",
        "/feeds/section/no-such-section/atom/",
        "/feeds/tag/no-such-tag/rss/",
        "/feeds/tag/no-such-tag/atom/",
        "/feeds/tag/%00/rss/",
        "/feeds/section/%00/rss/",
    ],
)
def test_unknown_section_or_tag_feed_is_404(client, section, url):
    assert client.get(url).status_code == 404


def test_unpublished_section_has_no_feed(client, section):
    section.unpublish()
    assert client.get("/feeds/section/world/rss/").status_code == 404


def test_feed_query_count_does_not_grow_with_items(
    client, section, uncached, django_assert_max_num_queries
):
    picture = make_image()
    author = make_author("Jane Doe")
    for n in range(2):
        make_article(section, f"Story {n}", lead_image=picture, authors=[author], tags=[f"t{n}"])
    client.get("/feeds/rss/")  # warm renditions
    with django_assert_max_num_queries(20) as few:
        client.get("/feeds/rss/")
    for n in range(2, 12):
        make_article(section, f"Story {n}", lead_image=picture, authors=[author], tags=[f"t{n}"])
    with django_assert_max_num_queries(len(few)):
        client.get("/feeds/rss/")


def test_pages_advertise_their_feeds(client, story):
    links = {}
    for url in (story.url, story.get_parent().url, "/tags/shipping/", "/"):
        html = BeautifulSoup(client.get(url).content, "html.parser")
        links[url] = [a["href"] for a in html.select('link[rel="alternate"]')]
    site_feeds = ["http://testserver/feeds/rss/", "http://testserver/feeds/atom/"]
    world_feeds = [
        "http://testserver/feeds/section/world/rss/",
        "http://testserver/feeds/section/world/atom/",
    ]
    assert links["/"] == site_feeds
    assert links[story.url] == site_feeds + world_feeds
    assert links["/world/"] == site_feeds + world_feeds
    assert links["/tags/shipping/"] == site_feeds + [
        "http://testserver/feeds/tag/shipping/rss/",
        "http://testserver/feeds/tag/shipping/atom/",
    ]


def test_tag_feed_accepts_a_unicode_slug(client, section):
    make_article(section, "Coffee prices", tags=["café"])
    _, feed = parse(client, "/feeds/tag/café/rss/")
    assert [entry.title for entry in feed.entries] == ["Coffee prices"]
