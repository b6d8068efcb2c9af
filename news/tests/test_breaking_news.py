"""The breaking-news banner: on every reader page and in the API until it expires or is taken
down; Editors set it, Writers cannot."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.utils import timezone

from news.models import BreakingNews
from news.tests.factories import make_article
from news.tests.test_fronts import RELATED_CARD_FIELDS

pytestmark = pytest.mark.django_db


def set_banner(text="Storm closes the harbour", article=None, *, expires_in=timedelta(hours=2)):
    banner = BreakingNews(text=text, article=article, expires_at=timezone.now() + expires_in)
    banner.save()
    banner.save_revision().publish()
    return banner


def banner_on(client, path):
    html = BeautifulSoup(client.get(path).content, "html.parser")
    return html.select_one(".breaking-news")


@pytest.fixture
def story(section):
    return make_article(section, "Harbour reopens")


def test_the_banner_shows_on_every_reader_page_with_a_link_to_its_story(client, section, story):
    set_banner(article=story)
    for path in ("/", section.url, story.url, "/search/?q=harbour"):
        banner = banner_on(client, path)
        assert banner is not None, path
        assert "Storm closes the harbour" in banner.get_text()
        assert banner.a["href"] == story.url


def test_the_api_carries_the_banner_on_the_home_and_section_representations(
    client, home_page, section, story
):
    set_banner(article=story)
    for version in ("v2", "v3"):
        for page in (home_page, section):
            banner = client.get(f"/api/{version}/pages/{page.pk}/").json()["breaking_news"]
            assert banner["text"] == "Storm closes the harbour"
            assert banner["article"]["id"] == story.pk
            assert banner["article"]["url"] == "http://localhost/world/harbour-reopens/"
            assert set(banner["article"]) == RELATED_CARD_FIELDS
            assert banner["expires_at"]


def test_no_banner_shows_once_it_has_expired(client, home_page, story):
    set_banner(expires_in=timedelta(seconds=-1))
    assert banner_on(client, "/") is None
    assert client.get(f"/api/v2/pages/{home_page.pk}/").json()["breaking_news"] is None


def test_a_draft_or_unpublished_banner_never_shows(client, home_page, story):
    draft = BreakingNews(text="Not yet", expires_at=timezone.now() + timedelta(hours=1), live=False)
    draft.save()
    draft.save_revision()
    assert banner_on(client, "/") is None
    banner = set_banner()
    banner.unpublish()
    assert banner_on(client, "/") is None


def test_the_newest_published_banner_wins(client, story):
    set_banner("First alert")
    set_banner("Second alert")
    assert "Second alert" in banner_on(client, "/").get_text()


def test_a_banner_whose_story_is_not_live_shows_without_a_link(client, home_page, story):
    set_banner(article=story)
    story.unpublish()
    banner = banner_on(client, "/")
    assert banner is not None and banner.a is None
    assert client.get(f"/api/v3/pages/{home_page.pk}/").json()["breaking_news"]["article"] is None


def test_a_banner_scheduled_for_later_goes_live_with_publish_scheduled(client, story):
    banner = BreakingNews(
        text="Polls close",
        expires_at=timezone.now() + timedelta(hours=3),
        go_live_at=timezone.now() + timedelta(hours=1),
        live=False,
    )
    banner.save()
    revision = banner.save_revision()
    revision.publish()  # scheduled, not live
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None
    assert banner_on(client, "/") is None
    # The morning has come.
    past = timezone.now() - timedelta(seconds=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    call_command("publish_scheduled", verbosity=0)
    assert "Polls close" in banner_on(client, "/").get_text()


def test_browsers_and_cdns_keep_a_page_no_longer_than_its_banner(client, story, settings):
    settings.NEWS_CACHE_MAX_AGE = 600
    set_banner(expires_in=timedelta(seconds=30))
    for attempt in range(2):  # built, then from the cache
        cache_control = client.get("/")["Cache-Control"]
        max_age = int(cache_control.split("max-age=")[1].split(",")[0])
        assert 0 <= max_age <= 30, (attempt, cache_control)


def test_editors_may_publish_the_banner_and_writers_may_not(editor, writer):
    assert editor.has_perm("news.publish_breakingnews")
    assert editor.has_perm("news.add_breakingnews")
    assert not writer.has_perm("news.add_breakingnews")
    assert not writer.has_perm("news.publish_breakingnews")


def test_writers_cannot_reach_the_banner_in_the_admin(client, writer, editor):
    client.force_login(writer)
    assert client.get("/admin/snippets/news/breakingnews/").status_code in (302, 403)
    client.force_login(editor)
    assert client.get("/admin/snippets/news/breakingnews/add/").status_code == 200


def test_setting_and_taking_down_the_banner_is_in_its_history(client, editor):
    from wagtail.models import ModelLogEntry

    banner = set_banner()
    banner.unpublish(user=editor)
    actions = set(ModelLogEntry.objects.for_instance(banner).values_list("action", flat=True))
    assert {"wagtail.publish", "wagtail.unpublish"} <= actions
