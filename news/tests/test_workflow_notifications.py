"""Workflow emails (locmem backend): Editors on submission, the writer on each decision."""

import pytest
from django.core import mail

from news.editorial.actions import ApproveAction, RequestChangesAction, SubmitForReviewAction


@pytest.fixture
def submitted_story(writer, editor, second_editor, story_by):
    article = story_by(writer, title="Tram strike called off")
    SubmitForReviewAction(article, writer).execute()
    return article


def test_editors_are_emailed_when_a_story_is_submitted(submitted_story, writer):
    recipients = sorted(address for message in mail.outbox for address in message.to)

    assert recipients == ["eddie@newsroom.test", "erin@newsroom.test"]
    message = mail.outbox[0]
    assert message.subject == 'For review: "Tram strike called off"'
    assert "Wendy has submitted" in message.body
    assert f"/admin/pages/{submitted_story.pk}/edit/" in message.body


def test_the_writer_is_emailed_on_approval_with_the_comment(submitted_story, editor):
    mail.outbox.clear()

    ApproveAction(submitted_story, editor, comment="Nice and tight.").execute()

    [message] = mail.outbox
    assert message.to == ["wendy@newsroom.test"]
    assert message.subject == 'Approved: "Tram strike called off"'
    assert "Eddie has approved" in message.body
    assert 'Their comment: "Nice and tight."' in message.body
    assert "It is live" in message.body


def test_the_writer_is_emailed_when_changes_are_requested_with_the_comment(submitted_story, editor):
    mail.outbox.clear()

    RequestChangesAction(submitted_story, editor, comment="Who called it off? Name them.").execute()

    [message] = mail.outbox
    assert message.to == ["wendy@newsroom.test"]
    assert message.subject == 'Changes requested: "Tram strike called off"'
    assert '"Who called it off? Name them."' in message.body


def test_nobody_is_emailed_about_their_own_submission(editor, second_editor, story_by):
    article = story_by(editor)

    SubmitForReviewAction(article, editor).execute()

    assert [message.to for message in mail.outbox] == [["erin@newsroom.test"]]
