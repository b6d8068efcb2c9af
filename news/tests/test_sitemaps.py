"""Sitemaps and robots.txt: the live, public pages, and a Google News sitemap of two days."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from news.tests.factories import at, make_article

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own response


def locations(root):
    return [loc.text for loc in root.findall("sm:url/sm:loc", NS)]


@pytest.fixture
def stories(section):
    live = make_article(section, "Live story")
    make_article(section, "Draft story", publish=False)
    withdrawn = make_article(section, "Withdrawn story")
    withdrawn.unpublish()
    private = make_article(section, "Private story")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    return live


def test_sitemap_lists_live_public_pages_only(client, stories):
    root = xml_of(client, "/sitemap.xml")
    assert locations(root) == [
        "http://testserver/",
        "http://testserver/world/",
        "http://testserver/world/live-story/",
    ]
    lastmod = root.find("sm:url[sm:loc='http://testserver/world/live-story/']/sm:lastmod", NS)
    assert lastmod.text == stories.last_published_at.date().isoformat()


def test_sitemap_lists_the_tag_pages_that_have_a_live_public_story(client, section):
    make_article(section, "Harbour reopens", tags=["shipping"], published_at=at(2024, 5, 5))
    newest = make_article(section, "Ferries sail", tags=["shipping", "Ferries"])
    make_article(section, "Draft story", tags=["drafts", "shipping"], publish=False)
    withdrawn = make_article(section, "Withdrawn story", tags=["withdrawn"])
    withdrawn.unpublish()
    private = make_article(section, "Private story", tags=["secrets"])
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    root = xml_of(client, "/sitemap.xml")
    tag_pages = [url for url in locations(root) if "/tags/" in url]
    assert tag_pages == ["http://testserver/tags/ferries/", "http://testserver/tags/shipping/"]
    lastmod = root.find("sm:url[sm:loc='http://testserver/tags/shipping/']/sm:lastmod", NS)
    assert lastmod.text == newest.last_published_at.date().isoformat()


def test_a_cached_sitemap_lists_a_new_tag_at_once(client, section):
    make_article(section, "Harbour reopens", tags=["shipping"])
    assert b"/tags/storms/" not in client.get("/sitemap.xml").content
    make_article(section, "Gales expected", tags=["storms"])
    assert b"/tags/storms/" in client.get("/sitemap.xml").content


def test_news_sitemap_lists_the_last_48_hours_with_publication_and_title(client, section):
    now = timezone.now()
    make_article(section, "Fresh & new", published_at=now - timedelta(hours=2))
    make_article(section, "Yesterday", published_at=now - timedelta(hours=30))
    make_article(section, "Last week", published_at=now - timedelta(days=7))
    make_article(section, "Fresh draft", publish=False)
    root = xml_of(client, "/sitemap-news.xml")
    assert locations(root) == [
        "http://testserver/world/fresh-new/",
        "http://testserver/world/yesterday/",
    ]
    news = root.find("sm:url/news:news", NS)
    assert news.find("news:publication/news:name", NS).text == "The Daily Ledger"
    assert news.find("news:publication/news:language", NS).text == "en"
    assert news.find("news:title", NS).text == "Fresh & new"
    published = news.find("news:publication_date", NS).text
    assert published.startswith((now - timedelta(hours=2)).date().isoformat())


def test_news_sitemap_leaves_out_unpublished_and_private_stories(client, stories):
    root = xml_of(client, "/sitemap-news.xml")
    assert locations(root) == ["http://testserver/world/live-story/"]


@pytest.mark.parametrize("page", ["abc", "0", "99", "\x00"])
def test_sitemap_bad_page_number_is_404(client, stories, page):
    assert client.get("/sitemap.xml", {"p": page}).status_code == 404


def test_robots_txt_points_at_both_sitemaps(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
    assert "Disallow: /admin/" in lines


def test_robots_txt_lets_crawlers_reach_the_search_form_but_not_its_results(client, db):
    lines = client.get("/robots.txt").content.decode().splitlines()
    # A rule is a path prefix: "/search/?" matches every results address, never the form.
    assert "Disallow: /search/?" in lines
    assert not [line for line in lines if line in ("Disallow: /search/", "Disallow: /search")]
    assert not [line for line in lines if line.startswith("Disallow: /tags")]
