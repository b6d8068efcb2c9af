"""Idempotency by uri, updates by version, conflicts with editors, and the second read."""

import pytest
from wagtail.models import Revision

from news.editorial.actions import ApproveAction
from news.editorial.second_read import SelfApprovalError
from news.models import ArticlePage
from wire.importer import CONFLICT, CREATED, UNCHANGED, UPDATED

from .factories import ninjs_story


def outcome(desk, item):
    [result] = desk.ingest(item)
    return result


def test_the_same_uri_and_version_again_changes_nothing(desk):
    created = outcome(desk, ninjs_story())
    revisions = Revision.objects.count()

    again = outcome(desk, ninjs_story())

    assert (created.outcome, again.outcome) == (CREATED, UNCHANGED)
    assert again.article_id == created.article_id
    assert Revision.objects.count() == revisions
    assert ArticlePage.objects.count() == 1


def test_an_older_version_changes_nothing(desk):
    outcome(desk, ninjs_story(version="3"))
    assert (
        outcome(desk, ninjs_story(version="2", headlines=[{"value": "Old"}])).outcome == UNCHANGED
    )
    assert ArticlePage.objects.get().title == "Dam holds after night of rain"


def test_a_newer_version_is_a_new_draft_revision_of_the_same_article(desk):
    created = outcome(desk, ninjs_story(version="1"))
    updated = outcome(
        desk,
        ninjs_story(version="2", headlines=[{"value": "Dam gives way"}], by="Bo Chen, AFP"),
    )

    assert updated.outcome == UPDATED
    assert updated.article_id == created.article_id
    article = ArticlePage.objects.get()
    assert article.revisions.count() == 2
    latest = article.get_latest_revision_as_object()
    assert latest.title == "Dam gives way"
    assert [a.name for a in latest.authors] == ["Bo Chen", "AFP"]
    assert article.wire_version == "2"
    assert article.wire_revision_id == article.latest_revision_id
    assert not article.live
    assert article.editorial_status == "in_review"


def test_without_version_numbers_the_newer_timestamp_wins(desk):
    item = ninjs_story(version=None)
    del item["version"]
    outcome(desk, item)
    newer = {**item, "versioncreated": "2026-05-06T10:00:00Z", "headlines": [{"value": "Later"}]}

    assert outcome(desk, item).outcome == UNCHANGED
    assert outcome(desk, newer).outcome == UPDATED


def test_an_update_to_a_published_story_waits_for_review(desk, editor):
    outcome(desk, ninjs_story(version="1"))
    article = ArticlePage.objects.get()
    ApproveAction(article, editor).execute()
    article.refresh_from_db()
    assert article.live

    outcome(desk, ninjs_story(version="2", headlines=[{"value": "Dam gives way"}]))

    article.refresh_from_db()
    assert article.title == "Dam holds after night of rain"  # the live version is untouched
    assert article.editorial_status == "in_review"
    assert article.get_latest_revision_as_object().title == "Dam gives way"


def test_an_editors_newer_edit_is_never_overwritten(desk, editor):
    outcome(desk, ninjs_story(version="1"))
    article = ArticlePage.objects.get()
    edited = article.get_latest_revision_as_object()
    edited.title = "Dam holds, say engineers"
    edited.save_revision(user=editor)

    result = outcome(desk, ninjs_story(version="2", headlines=[{"value": "Dam gives way"}]))

    assert result.outcome == CONFLICT
    assert "eddie edited the story" in result.message
    article.refresh_from_db()
    assert article.get_latest_revision_as_object().title == "Dam holds, say engineers"
    assert article.wire_version == "1"
    assert article.wire_warnings[-1]["message"] == result.message


def test_a_story_locked_by_an_editor_is_a_conflict(desk, editor):
    outcome(desk, ninjs_story(version="1"))
    ArticlePage.objects.update(locked=True, locked_by=editor)

    assert outcome(desk, ninjs_story(version="2")).outcome == CONFLICT


def test_the_wire_user_is_the_last_author_so_an_editor_gives_the_second_read(
    desk, wire_user, editor
):
    outcome(desk, ninjs_story())
    article = ArticlePage.objects.get()

    assert article.latest_revision.user == wire_user
    assert not wire_user.has_perm("wagtailcore.publish_page")
    # An editor who edits the story becomes one of its authors and may not approve it himself.
    draft = article.get_latest_revision_as_object()
    draft.title = f"{draft.title}, updated"
    draft.save_revision(user=editor)
    with pytest.raises(SelfApprovalError):
        ApproveAction(ArticlePage.objects.get(), editor).execute()


def test_no_submit_leaves_a_draft(section, wire_user):
    from wire.importer import WireDesk

    [result] = WireDesk(section, wire_user, submit=False).ingest(ninjs_story())
    assert ArticlePage.objects.get(pk=result.article_id).editorial_status == "draft"


def test_publishing_an_old_revision_keeps_the_wire_origin(desk, editor, second_editor):
    outcome(desk, ninjs_story(version="1"))
    first_revision = ArticlePage.objects.get().latest_revision
    outcome(desk, ninjs_story(version="2"))

    first_revision.publish(user=editor)

    assert ArticlePage.objects.get().wire_version == "2"
