"""The admin dashboard: writers see their drafts and stories sent back; Editors the queue."""

from datetime import timedelta
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from news.editorial.actions import RequestChangesAction, SubmitForReviewAction


def dashboard(client, user):
    client.force_login(user)
    return client.get(reverse("wagtailadmin_home")).content.decode()


def test_writer_sees_their_drafts_and_stories_sent_back(client, writer, editor, story_by):
    story_by(writer, title="Half-written obituary")
    sent_back = story_by(writer, title="Council budget")
    SubmitForReviewAction(sent_back, writer).execute()
    RequestChangesAction(sent_back, editor, comment="Add last year's figure.").execute()
    story_by(editor, title="Somebody else's draft")

    html = dashboard(client, writer)

    assert "Your desk" in html
    assert "Half-written obituary" in html
    assert "Sent back to you" in html
    assert "Council budget" in html
    assert "Add last year&#x27;s figure." in html
    assert "Somebody else&#x27;s draft" not in html


def test_editor_sees_the_review_queue_oldest_first(client, writer, editor, story_by):
    now = timezone.now()
    for hours_ago, title in [(1, "Newer submission"), (5, "Older submission")]:
        article = story_by(writer, title=title)
        with mock.patch("django.utils.timezone.now", return_value=now - timedelta(hours=hours_ago)):
            SubmitForReviewAction(article, writer).execute()

    html = dashboard(client, editor)

    assert "Awaiting your review" in html
    assert html.index("Older submission") < html.index("Newer submission")


def test_writer_has_no_review_queue(client, writer, story_by):
    SubmitForReviewAction(story_by(writer), writer).execute()

    assert "Awaiting your review" not in dashboard(client, writer)
