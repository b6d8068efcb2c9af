"""Approving in the real admin: every path works for an editor who wrote nothing, refuses an
author with one message of ours, and confirms what it did."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from home.models import HomePage
from news.models import ArticlePage, SectionPage

HEADLINE = "Flood barriers fail in the night"
WENDYS_WORDS = "<p>The river rose.</p>"


def fresh(article):
    return ArticlePage.objects.get(pk=article.pk)


def messages_of(response):
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


@pytest.fixture
def in_review(writer, story_by):
    """A writer's story, submitted for review."""
    article = story_by(writer, title=HEADLINE)
    article.get_workflow().start(article, writer)
    return fresh(article)


def approve_from_the_edit_view(client, article, form):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        {**form, "action-workflow-action": "true", "workflow-action-name": "approve"},
    )


# The edit view


def test_second_editor_approves_from_the_edit_view_without_a_revision_of_his_own(
    client, editor, in_review, article_form
):
    revisions_before = in_review.revisions.count()
    client.force_login(editor)

    response = approve_from_the_edit_view(
        client, in_review, article_form(HEADLINE, WENDYS_WORDS, slug=in_review.slug)
    )

    article = fresh(in_review)
    assert article.live
    assert article.revisions.count() == revisions_before
    assert not article.revisions.filter(user=editor).exists()
    assert messages_of(response) == [f"'{HEADLINE}' approved and published."]


def test_editor_who_changes_the_story_while_approving_keeps_a_draft_and_is_told_why(
    client, editor, in_review, article_form
):
    client.force_login(editor)

    response = approve_from_the_edit_view(
        client, in_review, article_form("Barriers give way", WENDYS_WORDS, slug=in_review.slug)
    )

    article = fresh(in_review)
    assert not article.live
    assert article.get_latest_revision().user == editor
    assert article.get_latest_revision_as_object().title == "Barriers give way"
    assert article.editorial_status == "in_review"
    assert messages_of(response) == [
        "Saved as a draft, not approved. You changed this version, so it needs a second "
        "read: an editor other than you and Wendy must approve it."
    ]


def test_author_pressing_approve_in_the_edit_view_gets_one_message(
    client, editor, second_editor, in_review, article_form
):
    draft = in_review.get_latest_revision_as_object()
    draft.title = "Barriers give way"
    draft.save_revision(user=editor)
    client.force_login(editor)

    response = approve_from_the_edit_view(
        client, in_review, article_form("Barriers give way", WENDYS_WORDS, slug=in_review.slug)
    )

    assert not fresh(in_review).live
    assert messages_of(response) == [
        "Saved as a draft, not approved. You changed this version, so it needs a second "
        "read: an editor other than you and Wendy must approve it."
    ]


# The dashboard and the workflow modal


def test_dashboard_approval_is_confirmed(client, editor, in_review):
    task_state = in_review.current_workflow_task_state
    client.force_login(editor)

    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action", args=[in_review.pk, "approve", task_state.pk]
        ),
        {"comment": ""},
    )

    assert fresh(in_review).live
    assert messages_of(response) == [f"'{HEADLINE}' approved and published."]


def test_sending_a_story_back_from_the_review_queue_is_confirmed(client, editor, in_review):
    task_state = in_review.current_workflow_task_state
    client.force_login(editor)

    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[in_review.pk, "reject", task_state.pk]),
        {"comment": "Name the engineer."},
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    assert fresh(in_review).editorial_status == "changes_requested"
    assert messages_of(response) == [f"'{HEADLINE}' sent back to Wendy with your comment."]


def test_modal_approval_by_an_author_answers_the_modal_with_our_refusal(client, writer, story_by):
    article = story_by(writer)
    article.get_workflow().start(article, writer)
    from django.contrib.auth.models import Group

    writer.groups.add(Group.objects.get(name="Editors"))  # a writer promoted to the desk
    task_state = fresh(article).current_workflow_task_state
    client.force_login(writer)

    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[article.pk, "approve", task_state.pk]),
        {"comment": "Fine by me."},
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    assert response.status_code == 200
    assert response.json()["step"] == "success"
    assert response.json()["redirect"] == reverse("wagtailadmin_pages:edit", args=[article.pk])
    assert not fresh(article).live
    assert messages_of(response) == [
        "Not approved. You changed this version, so it needs a second read: "
        "an editor other than you must approve it."
    ]


# The review queue


def test_review_queue_names_the_editor_who_rewrote_the_story(
    client, editor, second_editor, in_review
):
    draft = in_review.get_latest_revision_as_object()
    draft.title = "Barriers give way"
    draft.save_revision(user=editor)
    client.force_login(second_editor)

    response = client.get(reverse("wagtailadmin_home"))

    queue = response.content.decode()
    assert "Barriers give way" in queue
    assert "Submitted by Wendy" in queue
    assert "Written by Wendy and Eddie" in queue


# The forms: submitted unchanged, they report no change


@pytest.mark.parametrize("model", [HomePage, SectionPage, ArticlePage])
def test_page_forms_compare_against_the_page_not_a_hidden_initial(model, home_page):
    form_class = model.get_edit_handler().get_form_class()
    form = form_class(instance=model(), for_user=None, parent_page=home_page)

    hidden_initials = [name for name, field in form.fields.items() if field.show_hidden_initial]
    assert hidden_initials == []


def test_article_form_submitted_unchanged_reports_no_change(editor, in_review, article_form):
    form_class = ArticlePage.get_edit_handler().get_form_class()
    data = article_form(HEADLINE, WENDYS_WORDS, slug=in_review.slug)

    form = form_class(data, instance=in_review, for_user=editor, parent_page=in_review.get_parent())

    assert form.is_valid(), form.errors
    assert form.changed_data == []
    assert not form.has_changed()


@pytest.mark.parametrize("kind", ["home", "section", "article"])
def test_every_field_of_a_page_form_is_rendered_by_its_panels(
    client, kind, home_page, section, in_review
):
    """A field in the form but not on screen would be posted empty and look changed."""
    page = {"home": home_page, "section": section, "article": in_review}[kind].specific
    client.force_login(
        type(in_review.owner).objects.create_superuser("chief", "chief@newsroom.test", "pw")
    )
    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    form_class = type(page).get_edit_handler().get_form_class()

    missing = [
        name
        for name in form_class.base_fields
        if f'name="{name}"' not in html and f'id="{name}"' not in html
    ]
    assert missing == []
