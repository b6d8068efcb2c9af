"""The second-read rule on every publish path: nobody puts their own unreviewed words live.

Each test drives one of Wagtail's publish paths with the last author of the revision that
would go live, and checks that nothing goes live (or is scheduled) and a clear refusal is given.
"""

import json
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from news.editorial.second_read import SelfApprovalError
from news.editorial.status import EditorialStatus
from news.models import ArticlePage


def fresh(article):
    return ArticlePage.objects.get(pk=article.pk)


def scheduled(article):
    return article.revisions.filter(approved_go_live_at__isnull=False).exists()


def post_json(client, url, data, headers, method="post"):
    return getattr(client, method)(
        url, json.dumps(data), content_type="application/json", **headers
    )


# Workflow Approve: DeskReviewTask


def test_desk_review_does_not_offer_approve_to_the_last_author(editor, second_editor, story_by):
    article = story_by(editor)
    article.get_workflow().start(article, editor)
    task = article.current_workflow_task

    offered = [name for name, _label, _modal in task.get_actions(article, editor)]
    offered_to_other = [name for name, _label, _modal in task.get_actions(article, second_editor)]

    assert "approve" not in offered
    assert "reject" in offered
    assert "approve" in offered_to_other


def test_desk_review_refuses_an_approval_by_the_last_author(editor, story_by):
    article = story_by(editor)
    article.get_workflow().start(article, editor)

    with pytest.raises(SelfApprovalError):
        article.current_workflow_task.on_action(
            article.current_workflow_task_state, editor, "approve"
        )

    assert fresh(article).editorial_status == EditorialStatus.IN_REVIEW


def test_approve_forced_through_the_admin_by_the_last_author_is_refused(client, editor, story_by):
    article = story_by(editor)
    article.get_workflow().start(article, editor)
    task_state = article.current_workflow_task_state
    client.force_login(editor)

    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[article.pk, "approve", task_state.pk]),
        headers={"referer": f"http://testserver{edit_url}"},
        follow=True,
    )

    assert not fresh(article).live
    assert fresh(article).editorial_status == EditorialStatus.IN_REVIEW
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [
        "Not approved. You changed this version, so it needs a second read: "
        "an editor other than you must approve it."
    ]
    assert response.redirect_chain[-1][0].endswith(edit_url)


def test_editor_who_edits_a_story_in_review_needs_another_editor_to_approve(
    writer, editor, second_editor, story_by
):
    article = story_by(writer)
    article.get_workflow().start(article, writer)
    tidied = fresh(article)
    tidied.title = "Flood barriers fail overnight"  # the desk tidies the copy while reviewing
    tidied.save_revision(user=editor)
    task = article.current_workflow_task

    assert "approve" not in [name for name, *_ in task.get_actions(article, editor)]
    task.on_action(article.current_workflow_task_state, second_editor, "approve")

    assert fresh(article).live
    assert fresh(article).live_revision.user == editor


# The edit view's Publish: saves the editor's revision, then publishes it


def test_editor_who_changes_a_writers_story_cannot_publish_it_from_the_editor(
    client, writer, editor, story_by, article_form
):
    article = story_by(writer)
    client.force_login(editor)

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        {
            **article_form(article.title, "<p>Tightened by the desk.</p>", slug=article.slug),
            "action-publish": "publish",
        },
    )

    article = fresh(article)
    assert not article.live
    assert article.get_latest_revision().user == editor  # kept as a draft
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("not published" in m and "second read" in m for m in messages)


def test_editor_who_changed_the_story_and_scheduled_it_from_the_editor_is_refused(
    client, writer, editor, story_by, article_form
):
    article = story_by(writer)
    client.force_login(editor)
    go_live_at = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")

    client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        {
            **article_form(
                "Desk headline", "<p>The river rose.</p>", slug=article.slug, go_live_at=go_live_at
            ),
            "action-publish": "publish",
        },
    )

    assert not scheduled(fresh(article))
    assert fresh(article).editorial_status == EditorialStatus.DRAFT


def test_self_approval_setting_lets_the_editor_publish_from_the_editor(
    client, settings, editor, story_by, article_form
):
    settings.NEWS_ALLOW_SELF_APPROVAL = True
    article = story_by(editor)
    client.force_login(editor)

    edit_page = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        {**article_form(article.title, slug=article.slug), "action-publish": "publish"},
    )

    assert 'name="action-publish"' in edit_page
    assert fresh(article).live


# The create view's Publish: governed by the section's can_publish_subpage()


def test_superuser_cannot_create_and_publish_in_one_go(
    client, section, django_user_model, article_form
):
    boss = django_user_model.objects.create_superuser("boss", "boss@newsroom.test", "pw")
    client.force_login(boss)
    url = reverse("wagtailadmin_pages:add", args=["news", "articlepage", section.pk])

    client.post(url, {**article_form("Boss writes"), "action-publish": "publish"})

    assert not ArticlePage.objects.get(slug="boss-writes").live


def test_self_approval_setting_lets_the_create_view_publish(
    client, settings, section, editor, article_form
):
    settings.NEWS_ALLOW_SELF_APPROVAL = True
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=["news", "articlepage", section.pk])

    client.post(url, {**article_form("Own scoop"), "action-publish": "publish"})

    assert ArticlePage.objects.get(slug="own-scoop").live


# Bulk publish: consults permissions_for_user().can_publish() for each page


def bulk_publish(client, *articles):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    return client.post(url + "?" + "&".join(f"id={article.pk}" for article in articles))


def test_bulk_publish_puts_live_only_what_someone_else_wrote(client, writer, editor, story_by):
    theirs = story_by(writer, title="Their story")
    own = story_by(editor, title="Own story")
    client.force_login(editor)

    bulk_publish(client, theirs, own)

    assert fresh(theirs).live
    assert not fresh(own).live


# The v3 API: actions/publish/, POST /pages/ and PATCH /pages/{id}/ with a publish action


def test_v3_publish_action_refuses_the_last_author(client, editor, story_by, bearer):
    own = story_by(editor)

    response = client.post(f"/api/v3/pages/{own.pk}/actions/publish/", **bearer(editor))

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert not fresh(own).live


def test_v3_publish_action_publishes_someone_elses_words(client, writer, editor, story_by, bearer):
    theirs = story_by(writer)

    response = client.post(f"/api/v3/pages/{theirs.pk}/actions/publish/", **bearer(editor))

    assert response.status_code == 200
    assert fresh(theirs).live


def test_v3_create_with_publish_is_refused(client, section, editor, bearer):
    data = {
        "meta": {"type": "news.ArticlePage", "parent_id": section.pk, "action": "publish"},
        "title": "Straight to print",
        "slug": "straight-to-print",
        "body": [{"type": "paragraph", "value": "<p>Unread.</p>"}],
    }

    response = post_json(client, "/api/v3/pages/", data, bearer(editor))

    assert response.status_code == 403
    assert not ArticlePage.objects.filter(slug="straight-to-print", live=True).exists()


def test_v3_update_with_publish_is_refused_and_changes_nothing(
    client, writer, editor, story_by, bearer
):
    article = story_by(writer)
    revisions_before = article.revisions.count()
    data = {
        "meta": {"type": "news.ArticlePage", "action": "publish"},
        "title": "Desk rewrite",
    }

    response = post_json(client, f"/api/v3/pages/{article.pk}/", data, bearer(editor), "patch")

    assert response.status_code == 403
    assert not fresh(article).live
    assert fresh(article).revisions.count() == revisions_before


def test_v3_update_that_changes_and_schedules_is_refused(client, writer, editor, story_by, bearer):
    article = story_by(writer)
    data = {
        "meta": {"type": "news.ArticlePage", "action": "publish"},
        "title": "Desk rewrite",
        "go_live_at": (timezone.now() + timedelta(days=1)).isoformat(),
    }

    response = post_json(client, f"/api/v3/pages/{article.pk}/", data, bearer(editor), "patch")

    assert response.status_code == 403
    assert not scheduled(fresh(article))


def test_editor_who_edits_then_approves_from_the_editor_is_told_why(
    client, writer, editor, story_by, article_form
):
    article = story_by(writer)
    article.get_workflow().start(article, writer)
    client.force_login(editor)
    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])

    response = client.post(
        edit_url,
        {
            **article_form("Tidied headline", slug=article.slug),
            "action-workflow-action": "true",
            "workflow-action-name": "approve",
        },
        headers={"referer": f"http://testserver{edit_url}"},
        follow=True,
    )

    assert not fresh(article).live
    shown = [str(message) for message in response.context["messages"]]
    assert any("second read" in message for message in shown), shown
