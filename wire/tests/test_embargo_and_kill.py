"""Embargoes hold stories back until their time; kills take them down, with the reason."""

from datetime import timedelta
from unittest import mock

from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageLogEntry

from news.editorial.actions import ApproveAction
from news.editorial.history import editorial_history
from news.models import ArticlePage
from wire.importer import KILLED, UNCHANGED

from .factories import ninjs_story


def test_an_embargoed_story_is_scheduled_not_published_when_approved(desk, editor, client):
    embargo = timezone.now() + timedelta(hours=2)
    desk.ingest(ninjs_story(embargoed=embargo.isoformat()))
    article = ArticlePage.objects.get()
    assert article.go_live_at == embargo.replace(microsecond=article.go_live_at.microsecond)

    ApproveAction(article, editor).execute()
    call_command("publish_scheduled")

    article.refresh_from_db()
    assert not article.live
    assert article.editorial_status == "scheduled"
    assert client.get(f"/api/v3/pages/{article.pk}/ninjs/").status_code == 404


def test_an_embargoed_story_goes_live_at_its_time(desk, editor):
    embargo = timezone.now() + timedelta(hours=2)
    desk.ingest(ninjs_story(embargoed=embargo.isoformat()))
    article = ArticlePage.objects.get()
    ApproveAction(article, editor).execute()

    later = embargo + timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled")

    article.refresh_from_db()
    assert article.live


def test_an_embargo_in_the_past_holds_nothing_back(desk):
    desk.ingest(ninjs_story(embargoed="2020-01-01T00:00:00Z"))
    assert ArticlePage.objects.get().go_live_at is None


def test_a_new_version_cancels_an_older_approved_embargo(desk, editor):
    desk.ingest(
        ninjs_story(version="1", embargoed=(timezone.now() + timedelta(hours=2)).isoformat())
    )
    ApproveAction(ArticlePage.objects.get(), editor).execute()
    later = timezone.now() + timedelta(hours=5)

    desk.ingest(ninjs_story(version="2", embargoed=later.isoformat()))

    article = ArticlePage.objects.get()
    assert not article.revisions.filter(approved_go_live_at__isnull=False).exists()
    assert article.editorial_status == "in_review"


def test_a_kill_unpublishes_the_story_as_the_wire_user_with_the_reason(desk, editor, wire_user):
    desk.ingest(ninjs_story(version="1"))
    article = ArticlePage.objects.get()
    ApproveAction(article, editor).execute()
    assert ArticlePage.objects.get().live

    [result] = desk.ingest(
        ninjs_story(version="2", pubstatus="canceled", ednote="Legal: wrong name.")
    )

    assert result.outcome == KILLED
    article = ArticlePage.objects.get()
    assert not article.live
    entry = PageLogEntry.objects.filter(page=article, action="wagtail.unpublish").get()
    assert entry.user == wire_user
    assert entry.data["comment"] == "Withdrawn by the agency (canceled): Legal: wrong name."
    assert editorial_history(article)[-1].comment == entry.data["comment"]
    assert article.wire_warnings[-1]["message"] == entry.data["comment"]
    # The wire user did it without any publish right.
    assert not article.permissions_for_user(wire_user).can_unpublish()


def test_a_kill_withdraws_a_story_in_review_and_its_schedule(desk, editor):
    desk.ingest(
        ninjs_story(version="1", embargoed=(timezone.now() + timedelta(hours=1)).isoformat())
    )
    ApproveAction(ArticlePage.objects.get(), editor).execute()
    desk.ingest(ninjs_story(version="2"))  # back in review, with the newer copy

    [result] = desk.ingest(ninjs_story(version="3", pubstatus="withheld"))

    assert result.outcome == KILLED
    article = ArticlePage.objects.get()
    assert article.editorial_status == "draft"
    assert not article.revisions.filter(approved_go_live_at__isnull=False).exists()


def test_a_kill_is_applied_once_and_a_kill_for_an_unknown_story_does_nothing(desk):
    desk.ingest(ninjs_story(version="1"))
    kill = ninjs_story(version="2", pubstatus="canceled")

    assert desk.ingest(kill)[0].outcome == KILLED
    assert desk.ingest(kill)[0].outcome == UNCHANGED
    assert desk.ingest({**kill, "uri": "urn:never-seen"})[0].outcome == UNCHANGED
    assert ArticlePage.objects.count() == 1


def test_a_kill_with_the_same_version_number_still_takes_the_story_down(desk, editor):
    desk.ingest(ninjs_story(version="4"))
    ApproveAction(ArticlePage.objects.get(), editor).execute()

    [result] = desk.ingest(ninjs_story(version="4", pubstatus="canceled"))

    assert result.outcome == KILLED
    assert not ArticlePage.objects.get().live
