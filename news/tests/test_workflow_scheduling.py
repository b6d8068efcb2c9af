"""Approving a story with a go-live date schedules it; `publish_scheduled` (cron) puts it live.

The clock is frozen by patching django.utils.timezone.now, which Wagtail's publish action
and the publish_scheduled command both read.
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from news.editorial.actions import ApproveAction, SubmitForReviewAction
from news.editorial.history import editorial_history
from news.editorial.status import EditorialStatus
from news.models import ArticlePage
from news.tests.factories import at, make_article, paragraph

NOW = at(2026, 11, 27, 9)
GO_LIVE = at(2026, 11, 27, 18)


@pytest.fixture
def frozen_clock():
    """A clock set to NOW; move it with clock.return_value = ..."""
    with mock.patch("django.utils.timezone.now", return_value=NOW) as clock:
        yield clock


def fresh(article):
    return ArticlePage.objects.get(pk=article.pk)


def test_approving_a_story_with_a_go_live_date_schedules_it(frozen_clock, writer, editor, story_by):
    article = story_by(writer, go_live_at=GO_LIVE)
    SubmitForReviewAction(article, writer).execute()

    ApproveAction(article, editor).execute()

    article = fresh(article)
    assert not article.live
    assert article.editorial_status == EditorialStatus.SCHEDULED
    assert article.scheduled_revision.approved_go_live_at == GO_LIVE
    assert [entry.action for entry in editorial_history(article)] == [
        "submitted",
        "approved",
        "scheduled",
    ]


def test_publish_scheduled_puts_the_story_live_at_its_time(frozen_clock, writer, editor, story_by):
    article = story_by(writer, go_live_at=GO_LIVE)
    SubmitForReviewAction(article, writer).execute()
    ApproveAction(article, editor).execute()

    frozen_clock.return_value = GO_LIVE - timedelta(minutes=1)
    call_command("publish_scheduled", verbosity=0)
    assert not fresh(article).live

    frozen_clock.return_value = GO_LIVE + timedelta(minutes=1)
    call_command("publish_scheduled", verbosity=0)
    article = fresh(article)
    assert article.live
    assert article.editorial_status == EditorialStatus.PUBLISHED
    assert article.first_published_at == GO_LIVE + timedelta(minutes=1)
    assert editorial_history(article)[-1].action == "published"


def test_a_scheduled_update_keeps_the_live_words_until_its_time(
    frozen_clock, section, writer, editor
):
    article = make_article(section, "Port reopens", body=[paragraph("<p>First words.</p>")])
    draft = fresh(article)
    draft.body = [paragraph("<p>Updated words.</p>")]
    draft.go_live_at = GO_LIVE
    draft.save_revision(user=writer)
    SubmitForReviewAction(fresh(article), writer).execute()

    ApproveAction(fresh(article), editor).execute()

    assert fresh(article).editorial_status == EditorialStatus.SCHEDULED
    assert "First words." in fresh(article).body_text()

    frozen_clock.return_value = GO_LIVE + timedelta(seconds=1)
    call_command("publish_scheduled", verbosity=0)
    assert "Updated words." in fresh(article).body_text()
    assert timezone.now() == GO_LIVE + timedelta(seconds=1)
