"""The home page: created by migrations, leads with a story, then each section's latest."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Site

from home.models import HOME_STORIES_PER_SECTION, HomePage
from news.models import FRONT_SIZE
from news.tests.factories import at, make_article, make_image, make_section

pytestmark = pytest.mark.django_db


def cards(html, selector):
    return [h.get_text(strip=True) for h in html.select(f"{selector} .card__headline")]


def test_migrations_make_the_home_page_the_default_sites_root(client):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert HomePage.objects.count() == 1
    response = client.get("/")
    assert response.status_code == 200
    assert b"No stories have been published yet." in response.content


def test_home_leads_with_the_chosen_story(client, home_page, section):
    chosen = make_article(section, "Chosen lead", published_at=at(2024, 1, 1))
    make_article(section, "Newest story", published_at=at(2024, 2, 1))
    home_page.lead_article = chosen
    home_page.save_revision().publish()
    html = BeautifulSoup(client.get("/").content, "html.parser")
    assert cards(html, ".lead-story") == ["Chosen lead"]
    assert "Chosen lead" not in cards(html, ".home-section")


def test_home_leads_with_the_newest_story_when_none_is_chosen(client, section):
    make_article(section, "Old story", published_at=at(2024, 1, 1))
    make_article(section, "Newest story", published_at=at(2024, 2, 1), lead_image=make_image())
    html = BeautifulSoup(client.get("/").content, "html.parser")
    assert cards(html, ".lead-story") == ["Newest story"]
    assert html.select_one(".lead-story img")["srcset"]


def test_home_replaces_a_lead_story_that_was_unpublished(client, home_page, section):
    chosen = make_article(section, "Withdrawn", published_at=at(2024, 3, 1))
    make_article(section, "Still live", published_at=at(2024, 1, 1))
    home_page.lead_article = chosen
    home_page.save_revision().publish()
    chosen.unpublish()
    html = BeautifulSoup(client.get("/").content, "html.parser")
    assert cards(html, ".lead-story") == ["Still live"]


def test_home_shows_the_latest_stories_of_each_section_below_the_front(client, home_page, section):
    business = make_section(home_page, "Business")
    count = FRONT_SIZE + HOME_STORIES_PER_SECTION + 1
    world = [
        make_article(section, f"World {n}", published_at=at(2024, 1, n + 1)) for n in range(count)
    ]
    make_article(business, "Markets", published_at=at(2023, 1, 1))
    make_article(business, "Draft deal", publish=False)
    html = BeautifulSoup(client.get("/").content, "html.parser")

    newest = [a.title for a in reversed(world)]
    assert cards(html, ".lead-story") == [newest[0]]
    assert cards(html, ".front") == newest[:FRONT_SIZE]
    blocks = html.select(".home-section")
    assert [b.h2.get_text(strip=True) for b in blocks] == ["World", "Business"]
    # No story twice: the sections go on where the front stopped.
    assert cards(blocks[0], "") == newest[FRONT_SIZE : FRONT_SIZE + HOME_STORIES_PER_SECTION]
    assert cards(blocks[1], "") == ["Markets"]


def test_home_query_count_does_not_grow_with_sections_or_stories(
    client, home_page, section, uncached, django_assert_max_num_queries
):
    for n in range(FRONT_SIZE + 2):  # a full front, and more below it
        make_article(section, f"World {n}", tags=["x"])
    client.get("/")
    # Was 22: the view restrictions read at each public(), tags fetched for cards that show
    # none, the newest of each section ranked by a window over every story. (PostgreSQL reads
    # the newest of each section's ids in a query of its own, SQLite in a subquery.)
    with django_assert_max_num_queries(16) as few:
        client.get("/")
    # Counted now: the connection keeps only its last 9,000 queries.
    few_queries = len(few)
    for title in ("Business", "Region"):
        extra = make_section(home_page, title)
        for n in range(5):
            make_article(extra, f"{title} {n}", tags=["x"])
    client.get("/")  # the view restrictions, read again once after a new section
    with django_assert_max_num_queries(few_queries):
        client.get("/")
