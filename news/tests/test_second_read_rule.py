"""The second-read rule counts the words, not the last save.

The people who may not put a version live are the authors of every revision since the one
last published whose content differs from the revision before it. A save that changes
nothing makes nobody an author; an edit by anyone makes them one until someone else approves.
"""

import json

import pytest
from django.urls import reverse

from news.editorial.actions import ApproveAction
from news.editorial.second_read import SelfApprovalError, needs_second_read, unreviewed_author_ids
from news.models import ArticlePage
from news.tests.factories import paragraph


def fresh(article):
    return ArticlePage.objects.get(pk=article.pk)


def rewrite(article, user, **changes):
    """Save a new revision of the story's latest version by `user`, with `changes` applied."""
    draft = fresh(article).get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(draft, name, value)
    return draft.save_revision(user=user)


def submit(article, user):
    article = fresh(article)
    article.get_workflow().start(article, user)
    return fresh(article)


def test_a_save_that_changes_nothing_makes_nobody_an_author(writer, editor, story_by):
    article = story_by(writer)
    rewrite(article, editor)  # opens the story and presses "Save draft"

    assert unreviewed_author_ids(fresh(article)) == [writer.pk]
    assert not needs_second_read(editor, fresh(article))


def test_a_colleagues_no_change_save_does_not_free_the_editor_who_rewrote_it(
    writer, editor, second_editor, story_by
):
    article = submit(story_by(writer), writer)
    rewrite(article, editor, title="Barriers hold, then fail")
    rewrite(article, second_editor)  # a colleague opens it and saves unchanged

    with pytest.raises(SelfApprovalError) as refused:
        ApproveAction(fresh(article), editor).execute()

    assert not fresh(article).live
    assert str(refused.value.args[0]) == (
        "You changed this version, so it needs a second read: "
        "an editor other than you and Wendy must approve it."
    )
    ApproveAction(fresh(article), second_editor).execute()
    assert fresh(article).live
    assert fresh(article).title == "Barriers hold, then fail"


def test_changes_already_published_need_no_further_read(editor, second_editor, story_by):
    article = submit(story_by(editor), editor)
    ApproveAction(fresh(article), second_editor).execute()  # the editor's words went live
    rewrite(article, second_editor, intro="A new line from the desk.")
    submit(article, second_editor)

    assert unreviewed_author_ids(fresh(article)) == [second_editor.pk]
    ApproveAction(fresh(article), editor).execute()
    assert fresh(article).live_revision.content["intro"] == "A new line from the desk."


def test_an_unpublished_story_counts_authors_since_its_last_published_version(
    editor, second_editor, story_by
):
    article = submit(story_by(editor), editor)
    ApproveAction(fresh(article), second_editor).execute()
    fresh(article).unpublish(user=second_editor)
    rewrite(article, second_editor, title="Back, corrected")

    assert unreviewed_author_ids(fresh(article)) == [second_editor.pk]


def test_copy_rewritten_in_the_editors_own_markup_is_no_change(writer, editor, story_by):
    article = story_by(writer, text="Water <strong>over</strong> the wall &amp; the road.")
    # What Draftail posts back for the same words: its own markup and paragraph keys.
    same_words = [
        paragraph('<p data-block-key="k3x9a">Water <b>over</b> the wall &amp; the road.</p>')
    ]
    rewrite(article, editor, body=same_words)

    assert unreviewed_author_ids(fresh(article)) == [writer.pk]


@pytest.mark.parametrize(
    "change",
    [
        {"title": "New headline"},
        {"intro": "A different standfirst."},
        {"slug": "a-different-address"},
        {"body": [paragraph("<p>Other words.</p>")]},
    ],
    ids=["headline", "standfirst", "slug", "body"],
)
def test_any_change_to_what_goes_live_makes_an_author(writer, editor, story_by, change):
    article = story_by(writer)
    rewrite(article, editor, **change)

    assert unreviewed_author_ids(fresh(article)) == [writer.pk, editor.pk]


def test_a_byline_change_makes_an_author(writer, editor, story_by, section):
    from news.models import ArticleAuthor
    from news.tests.factories import make_author

    article = story_by(writer)
    draft = fresh(article).get_latest_revision_as_object()
    draft.article_authors.add(ArticleAuthor(author=make_author("Desk Hand"), sort_order=0))
    draft.save_revision(user=editor)

    assert needs_second_read(editor, fresh(article))


def test_self_approval_setting_lifts_the_rule(settings, editor, story_by):
    settings.NEWS_ALLOW_SELF_APPROVAL = True
    article = submit(story_by(editor), editor)

    ApproveAction(fresh(article), editor).execute()

    assert fresh(article).live


# The same rule on the other paths that put a story live


def test_bulk_publish_follows_the_words_not_the_last_save(
    client, writer, editor, second_editor, story_by
):
    rewritten = story_by(writer, title="Rewritten by the desk")
    rewrite(rewritten, editor, title="Rewritten by the desk, again")
    rewrite(rewritten, second_editor)
    only_saved = story_by(writer, title="Only saved by the desk")
    rewrite(only_saved, editor)
    revisions_before = only_saved.revisions.count()
    client.force_login(editor)

    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    client.post(f"{url}?id={rewritten.pk}&id={only_saved.pk}")

    assert not fresh(rewritten).live
    assert fresh(only_saved).live
    assert fresh(only_saved).revisions.count() == revisions_before


def test_v3_approve_refuses_an_editor_whose_rewrite_a_colleague_only_saved(
    client, writer, editor, second_editor, story_by, bearer
):
    article = submit(story_by(writer), writer)
    rewrite(article, editor, title="Desk headline")
    rewrite(article, second_editor)

    response = client.post(
        f"/api/v3/pages/{article.pk}/actions/approve/",
        json.dumps({}),
        content_type="application/json",
        **bearer(editor),
    )

    assert response.status_code == 403
    assert "an editor other than you and Wendy" in response.json()["detail"]
    assert not fresh(article).live


def test_v3_approve_lets_an_editor_who_only_saved_approve(client, writer, editor, story_by, bearer):
    article = submit(story_by(writer), writer)
    rewrite(article, editor)

    response = client.post(
        f"/api/v3/pages/{article.pk}/actions/approve/",
        json.dumps({}),
        content_type="application/json",
        **bearer(editor),
    )

    assert response.status_code == 200, response.content
    assert fresh(article).live


# The rule reads and compares a story's revisions once per question.


def test_a_refusal_reads_the_revisions_once(writer, editor, story_by):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from news.editorial.second_read import check_second_read

    article = story_by(writer)
    rewrite(article, editor, title="The desk's headline")
    page = fresh(article)

    with CaptureQueriesContext(connection) as queries, pytest.raises(SelfApprovalError) as refused:
        check_second_read(editor, page)

    revision_reads = [
        query["sql"]
        for query in queries
        if '"wagtailcore_revision"."content"' in query["sql"] and "SELECT" in query["sql"]
    ]
    assert len(revision_reads) == 1
    assert "an editor other than you and " in str(refused.value.args[0])


def test_comparing_revisions_reads_the_models_fields_once(monkeypatch, writer, editor, story_by):
    article = story_by(writer)
    for title in ("One", "Two", "Three"):
        rewrite(article, editor, title=title)
    page = fresh(article)
    reads = []
    get_fields = ArticlePage._meta.get_fields
    monkeypatch.setattr(
        ArticlePage._meta, "get_fields", lambda *a, **k: reads.append(1) or get_fields(*a, **k)
    )

    assert unreviewed_author_ids(page) == [writer.pk, editor.pk]
    assert len(reads) == 1
