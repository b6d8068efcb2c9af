"""Curated fronts: the lead, the editor's top stories in order, then the newest; who arranges."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from home.models import HomeFrontStory, HomePage
from news.editorial.second_read import needs_second_read
from news.models import FRONT_SIZE, FRONT_TOP_STORIES, SectionFrontStory, SectionPage
from news.tests.factories import at, make_article, make_image, make_section

pytestmark = pytest.mark.django_db

# What a related-article card carries (news/api/representation.py RelatedArticleDict).
RELATED_CARD_FIELDS = {"id", "title", "url", "teaser", "first_published_at", "thumbnail"}


def arrange(front_page, lead=None, top=(), *, user=None, publish=True):
    """Sets a front's lead and top stories as an editor would, as a new revision."""
    row_model = HomeFrontStory if isinstance(front_page, HomePage) else SectionFrontStory
    front_page.lead_article = lead
    front_page.front_stories = [
        row_model(article=article, sort_order=order) for order, article in enumerate(top)
    ]
    revision = front_page.save_revision(user=user)
    if publish:
        revision.publish()
    return revision


def headlines(html, selector=".front"):
    return [h.get_text(strip=True) for h in html.select(f"{selector} .card__headline")]


def page_html(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def stories(section):
    """Ten stories, "Story 0" the oldest."""
    return [make_article(section, f"Story {n}", published_at=at(2026, 1, n + 1)) for n in range(10)]


def test_home_front_leads_with_the_chosen_story_then_top_stories_in_order_then_the_newest(
    client, home_page, stories
):
    arrange(home_page, lead=stories[2], top=[stories[0], stories[5]])
    html = page_html(client, "/")
    expected = ["Story 2", "Story 0", "Story 5", "Story 9", "Story 8", "Story 7", "Story 6"]
    assert headlines(html) == expected[:FRONT_SIZE]
    assert headlines(html, ".lead-story") == ["Story 2"]
    placements = [div["data-placement"] for div in html.select(".front [data-placement]")]
    assert placements == ["lead", "top", "top", "latest", "latest", "latest", "latest"]
    # No story twice: the section blocks go on with what the front left.
    below = headlines(html, ".home-section")
    assert not set(below) & set(expected)


def test_section_front_is_arranged_and_its_listing_goes_on_without_repeats(
    client, section, stories
):
    arrange(section, lead=stories[1], top=[stories[3], stories[1], stories[3]])
    html = page_html(client, section.url)
    front = headlines(html)
    assert front[:2] == ["Story 1", "Story 3"]
    assert len(front) == len(set(front)) == FRONT_SIZE
    listing = headlines(html, ".card-list")
    assert not set(listing) & set(front)
    assert len(listing) + len(front) == len(stories)


def test_top_stories_may_come_from_another_section(client, home_page, section, stories):
    business = make_section(home_page, "Business")
    elsewhere = make_article(business, "Markets rally", published_at=at(2020, 1, 1))
    arrange(section, top=[elsewhere])
    assert headlines(page_html(client, section.url))[:2] == ["Story 9", "Markets rally"]


def test_without_a_chosen_lead_the_newest_story_leads(client, home_page, stories):
    arrange(home_page, top=[stories[0]])
    html = page_html(client, "/")
    assert headlines(html)[:2] == ["Story 9", "Story 0"]


def unpublish(article):
    article.unpublish()


def make_private(article):
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )


HIDDEN = {"unpublished": unpublish, "private": make_private}


@pytest.mark.parametrize("how", HIDDEN)
def test_a_placed_story_readers_may_not_see_never_shows_and_the_fill_closes_the_gap(
    client, home_page, section, stories, how
):
    arrange(home_page, lead=stories[0], top=[stories[1]])
    arrange(section, lead=stories[0], top=[stories[1]])
    HIDDEN[how](stories[0])
    HIDDEN[how](stories[1])
    for path in ("/", section.url):
        front = headlines(page_html(client, path))
        assert "Story 0" not in front and "Story 1" not in front
        assert front == [f"Story {n}" for n in range(9, 9 - FRONT_SIZE, -1)]
    for path in (f"/api/v2/pages/{home_page.pk}/", f"/api/v3/pages/{section.pk}/"):
        titles = [card["title"] for card in client.get(path).json()["front"]]
        assert "Story 0" not in titles and "Story 1" not in titles
        assert len(titles) == FRONT_SIZE


def test_a_placed_story_not_yet_live_shows_once_its_schedule_is_reached(client, home_page, section):
    make_article(section, "Already out", published_at=at(2026, 1, 1))
    embargoed = make_article(section, "Embargoed report", publish=False)
    arrange(home_page, lead=embargoed)
    assert "Embargoed report" not in page_html(client, "/").get_text()
    assert client.get(f"/api/v2/pages/{home_page.pk}/").json()["front"][0]["title"] == (
        "Already out"
    )
    embargoed.save_revision(approved_go_live_at=timezone.now() - timedelta(minutes=1))
    call_command("publish_scheduled", verbosity=0)
    assert headlines(page_html(client, "/"), ".lead-story") == ["Embargoed report"]


def test_api_v2_and_v3_carry_the_front_in_order_as_related_article_cards(
    client, home_page, section, stories
):
    stories[4].lead_image = make_image("Crane", width=64, height=48)
    stories[4].save_revision().publish()
    arrange(home_page, lead=stories[4], top=[stories[2]])
    arrange(section, top=[stories[3]])
    for version in ("v2", "v3"):
        home = client.get(f"/api/{version}/pages/{home_page.pk}/").json()
        cards = home["front"]
        assert [card["title"] for card in cards[:3]] == ["Story 4", "Story 2", "Story 9"]
        assert [card["placement"] for card in cards[:3]] == ["lead", "top", "latest"]
        assert set(cards[0]) == {*RELATED_CARD_FIELDS, "placement"}
        assert cards[0]["url"] == "http://localhost/world/story-4/"
        assert cards[0]["thumbnail"]["url"].endswith(".jpg")
        assert home["lead_article"]["id"] == stories[4].pk
        assert home["breaking_news"] is None
        front = client.get(f"/api/{version}/pages/{section.pk}/").json()["front"]
        assert [card["title"] for card in front[:2]] == ["Story 9", "Story 3"]


def test_openapi_types_the_front_and_the_banner(client):
    schemas = client.get("/api/v3/openapi.json").json()["components"]["schemas"]
    for schema in ("HomePageSchema", "SectionPageSchema"):
        properties = schemas[schema]["properties"]
        assert {"items": {"$ref": "#/components/schemas/FrontCardDict"}, "type": "array"} in (
            properties["front"]["anyOf"]
        )
        assert {"$ref": "#/components/schemas/BreakingNewsDict"} in properties["breaking_news"][
            "anyOf"
        ]
    card = schemas["FrontCardDict"]
    assert card["properties"]["placement"]["enum"] == ["lead", "top", "latest"]
    assert set(card["required"]) >= {"id", "title", "url", "teaser", "thumbnail", "placement"}
    banner = schemas["BreakingNewsDict"]
    assert set(banner["required"]) == {"text", "article", "expires_at"}


def queries_for(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), response.json()


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_front_api_queries_do_not_grow_with_its_cards(
    client, home_page, section, uncached, settings, version
):
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 0
    picture = make_image("Crane", width=64, height=48)
    first = [make_article(section, f"Early {n}", lead_image=picture) for n in range(2)]
    arrange(home_page, lead=first[0])
    path = f"/api/{version}/pages/{home_page.pk}/"
    client.get(path)  # renditions
    few, data = queries_for(client, path)
    assert len(data["front"]) == 2
    more = [make_article(section, f"Later {n}", lead_image=picture) for n in range(FRONT_SIZE)]
    arrange(home_page, lead=first[0], top=more[:FRONT_TOP_STORIES])
    client.get(path)
    many, data = queries_for(client, path)
    assert len(data["front"]) == FRONT_SIZE
    assert many <= few


# Who arranges fronts.


def test_writers_cannot_edit_a_front_and_editors_can(client, home_page, section, writer, editor):
    for front_page in (home_page, section):
        assert not front_page.permissions_for_user(writer).can_edit()
        assert front_page.permissions_for_user(editor).can_edit()
    client.force_login(writer)
    assert client.get(f"/admin/pages/{section.pk}/edit/").status_code in (302, 403)
    client.force_login(editor)
    response = client.get(f"/admin/pages/{section.pk}/edit/")
    assert response.status_code == 200
    assert b"front_stories-TOTAL_FORMS" in response.content


def test_the_editor_who_arranged_a_front_needs_a_second_read(
    home_page, stories, editor, second_editor
):
    arrange(home_page, lead=stories[3], user=editor, publish=False)
    home_page = HomePage.objects.get(pk=home_page.pk)
    assert needs_second_read(editor, home_page)
    assert not home_page.permissions_for_user(editor).can_publish()
    assert home_page.permissions_for_user(second_editor).can_publish()


def test_a_front_saved_unchanged_makes_nobody_its_author(home_page, stories, editor):
    arrange(home_page, lead=stories[3], top=[stories[1]])
    arrange(
        HomePage.objects.get(pk=home_page.pk),
        lead=stories[3],
        top=[stories[1]],
        user=editor,
        publish=False,
    )
    assert not needs_second_read(editor, HomePage.objects.get(pk=home_page.pk))


def test_reordering_top_stories_is_a_change_that_needs_a_second_read(home_page, stories, editor):
    arrange(home_page, top=[stories[1], stories[2]])
    arrange(
        HomePage.objects.get(pk=home_page.pk),
        top=[stories[2], stories[1]],
        user=editor,
        publish=False,
    )
    assert needs_second_read(editor, HomePage.objects.get(pk=home_page.pk))


def test_a_front_scheduled_for_the_morning_goes_live_then_and_not_before(
    client, home_page, stories
):
    revision = arrange(home_page, lead=stories[1], publish=False)
    revision.approved_go_live_at = timezone.now() + timedelta(hours=6)
    revision.save()
    call_command("publish_scheduled", verbosity=0)
    assert headlines(page_html(client, "/"), ".lead-story") == ["Story 9"]
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
    revision.save()
    call_command("publish_scheduled", verbosity=0)
    assert headlines(page_html(client, "/"), ".lead-story") == ["Story 1"]


def test_a_front_arrangement_is_kept_per_revision(home_page, stories):
    first = arrange(home_page, lead=stories[1], top=[stories[2]])
    arrange(HomePage.objects.get(pk=home_page.pk), lead=stories[5], top=[stories[6]])
    old = first.as_object()
    assert old.lead_article_id == stories[1].pk
    assert [row.article_id for row in old.front_stories.all()] == [stories[2].pk]


def test_a_section_front_counts_only_its_own_stories_as_fill(client, home_page, section, stories):
    business = make_section(home_page, "Business")
    make_article(business, "Markets rally", published_at=at(2027, 1, 1))
    assert "Markets rally" not in headlines(page_html(client, section.url))
    assert SectionPage.objects.get(pk=section.pk).get_front()[0].article.title == "Story 9"
