"""Draft → review → publish through the admin's own views, for each role (real POSTs)."""

from datetime import timedelta

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState

from news.editorial.status import EditorialStatus
from news.models import ArticlePage


def fresh(article):
    return ArticlePage.objects.get(pk=article.pk)


def workflow_action(client, article, action, comment=""):
    task_state = article.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[article.pk, action, task_state.pk])
    return client.post(url, {"comment": comment})


def messages_of(response):
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def test_writer_creates_and_submits_a_story(client, section, writer, article_form):
    client.force_login(writer)
    url = reverse("wagtailadmin_pages:add", args=["news", "articlepage", section.pk])

    response = client.post(url, {**article_form("Bridge closes"), "action-submit": "submit"})

    assert response.status_code == 302
    article = ArticlePage.objects.get(slug="bridge-closes")
    assert article.editorial_status == EditorialStatus.IN_REVIEW
    assert article.owner == writer
    assert not article.live


def test_writer_sets_the_story_language_in_the_editor(client, section, writer, article_form):
    client.force_login(writer)
    url = reverse("wagtailadmin_pages:add", args=["news", "articlepage", section.pk])

    client.post(url, {**article_form("Fjord ferry returns", language="nb-NO")})

    assert ArticlePage.objects.get(slug="fjord-ferry-returns").language == "nb-NO"


def test_writer_submits_a_draft_from_the_editor(client, writer, story_by, article_form):
    draft = story_by(writer)
    client.force_login(writer)

    client.post(
        reverse("wagtailadmin_pages:edit", args=[draft.pk]),
        {**article_form(draft.title, slug=draft.slug), "action-submit": "submit"},
    )

    assert fresh(draft).editorial_status == EditorialStatus.IN_REVIEW


def test_writer_cannot_publish_from_the_create_view(client, section, writer, article_form):
    client.force_login(writer)
    url = reverse("wagtailadmin_pages:add", args=["news", "articlepage", section.pk])

    response = client.post(url, {**article_form("Bridge closes"), "action-publish": "publish"})

    article = ArticlePage.objects.get(slug="bridge-closes")
    assert not article.live
    assert article.editorial_status == EditorialStatus.DRAFT
    assert "Saved as a draft, not published: submit it for review." in messages_of(response)


def test_writer_cannot_publish_from_the_editor(client, writer, story_by, article_form):
    draft = story_by(writer)
    client.force_login(writer)

    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[draft.pk]),
        {**article_form(draft.title, slug=draft.slug), "action-publish": "publish"},
    )

    assert not fresh(draft).live
    assert "Saved as a draft, not published: submit it for review." in messages_of(response)


def test_writer_is_not_offered_approve_and_cannot_force_it(client, writer, story_by):
    article = story_by(writer)
    article.get_workflow().start(article, writer)
    client.force_login(writer)

    edit_page = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    workflow_action(client, article, "approve")

    assert 'data-workflow-action-name="approve"' not in edit_page
    assert fresh(article).editorial_status == EditorialStatus.IN_REVIEW
    assert not fresh(article).live


def test_writer_cannot_change_a_story_while_it_is_in_review(client, writer, story_by, article_form):
    article = story_by(writer, text="Submitted words.")
    article.get_workflow().start(article, writer)
    client.force_login(writer)

    client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        article_form(article.title, "<p>Sneaky late change.</p>", slug=article.slug),
    )

    assert "Sneaky" not in str(fresh(article).get_latest_revision_as_object().body)


def test_editor_approves_and_the_story_goes_live(client, writer, editor, story_by):
    article = story_by(writer)
    article.get_workflow().start(article, writer)
    client.force_login(editor)

    edit_page = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    workflow_action(client, article, "approve")

    assert 'data-workflow-action-name="approve"' in edit_page
    article = fresh(article)
    assert article.live
    assert article.editorial_status == EditorialStatus.PUBLISHED
    assert article.live_revision.user == writer


def test_editor_requests_changes_and_the_writer_resubmits(
    client, writer, editor, story_by, article_form
):
    article = story_by(writer)
    article.get_workflow().start(article, writer)
    client.force_login(editor)

    workflow_action(client, article, "reject", comment="Name the engineer.")

    state = fresh(article).current_workflow_state
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.comment == "Name the engineer."
    assert fresh(article).editorial_status == EditorialStatus.CHANGES_REQUESTED

    client.force_login(writer)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        {
            **article_form(article.title, "<p>Engineer Ann Lee said…</p>", slug=article.slug),
            "action-submit": "submit",
        },
    )
    assert fresh(article).editorial_status == EditorialStatus.IN_REVIEW


def test_request_changes_needs_a_comment(client, writer, editor, story_by):
    article = story_by(writer)
    article.get_workflow().start(article, writer)
    client.force_login(editor)

    workflow_action(client, article, "reject", comment="")

    assert fresh(article).editorial_status == EditorialStatus.IN_REVIEW


def test_editor_cannot_publish_from_the_create_view(client, section, editor, article_form):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=["news", "articlepage", section.pk])

    add_page = client.get(url).content.decode()
    response = client.post(url, {**article_form("Own scoop"), "action-publish": "publish"})

    assert 'name="action-publish"' not in add_page
    article = ArticlePage.objects.get(slug="own-scoop")
    assert not article.live
    assert any("needs a second read" in message for message in messages_of(response))


def test_editor_is_not_offered_publish_in_the_editor(client, writer, editor, story_by):
    article = story_by(writer)
    client.force_login(editor)

    edit_page = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()

    assert 'name="action-publish"' not in edit_page
    assert article.permissions_for_user(editor).can_publish()  # still publishable by approval


def test_editor_unschedules_and_sets_privacy_on_own_words(writer, editor, story_by):
    article = story_by(editor)
    permissions = article.permissions_for_user(editor)

    assert not permissions.can_publish()
    assert permissions.can_unschedule()
    assert permissions.can_set_view_restrictions()


def test_writer_cannot_request_changes(client, writer, story_by):
    article = story_by(writer)
    article.get_workflow().start(article, writer)
    client.force_login(writer)

    workflow_action(client, article, "reject", comment="Self-critique.")

    assert fresh(article).editorial_status == EditorialStatus.IN_REVIEW


def test_editor_approving_a_story_with_a_go_live_date_schedules_it(
    client, writer, editor, story_by
):
    go_live_at = (timezone.now() + timedelta(hours=6)).replace(microsecond=0)
    article = story_by(writer, go_live_at=go_live_at)
    article.get_workflow().start(article, writer)
    client.force_login(editor)

    workflow_action(client, article, "approve")

    article = fresh(article)
    assert not article.live
    assert article.editorial_status == EditorialStatus.SCHEDULED
    assert article.scheduled_revision.approved_go_live_at == go_live_at
