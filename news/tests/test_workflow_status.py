"""ArticlePage.editorial_status, from Wagtail's own state; a column and filter in the admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from news.editorial.actions import ApproveAction, RequestChangesAction, SubmitForReviewAction
from news.editorial.status import EditorialStatus
from news.models import ArticlePage
from news.tests.factories import make_article


@pytest.fixture
def story_in_every_status(section, writer, editor, story_by):
    """{status: article} with one article in each editorial status."""
    draft = story_by(writer, title="Draft story")

    in_review = story_by(writer, title="In review story")
    SubmitForReviewAction(in_review, writer).execute()

    sent_back = story_by(writer, title="Sent back story")
    SubmitForReviewAction(sent_back, writer).execute()
    RequestChangesAction(sent_back, editor, comment="Too long.").execute()

    scheduled = story_by(
        writer, title="Scheduled story", go_live_at=timezone.now() + timedelta(days=1)
    )
    SubmitForReviewAction(scheduled, writer).execute()
    ApproveAction(scheduled, editor).execute()

    published = make_article(section, "Published story")

    with_draft = make_article(section, "Published story with a draft")
    with_draft.save_revision(user=writer)

    unpublished = make_article(section, "Unpublished story")
    unpublished.unpublish(user=editor)

    return {
        EditorialStatus.DRAFT: draft,
        EditorialStatus.IN_REVIEW: in_review,
        EditorialStatus.CHANGES_REQUESTED: sent_back,
        EditorialStatus.SCHEDULED: scheduled,
        EditorialStatus.PUBLISHED: published,
        EditorialStatus.PUBLISHED_WITH_DRAFT: with_draft,
        EditorialStatus.UNPUBLISHED: unpublished,
    }


def test_each_story_has_its_status(story_in_every_status):
    for status, article in story_in_every_status.items():
        assert ArticlePage.objects.get(pk=article.pk).editorial_status == status, article.title


def test_the_queryset_computes_the_same_status(story_in_every_status, django_assert_num_queries):
    expected = {article.pk: status for status, article in story_in_every_status.items()}

    with django_assert_num_queries(1):
        annotated = {a.pk: a.editorial_status for a in ArticlePage.objects.with_editorial_status()}

    assert annotated == expected


def test_the_status_values_are_the_ones_the_api_promises():
    assert EditorialStatus.values == [
        "draft",
        "in_review",
        "changes_requested",
        "scheduled",
        "published",
        "published_with_draft",
        "unpublished",
    ]


def test_the_article_listing_shows_the_status(client, editor, story_in_every_status):
    client.force_login(editor)

    html = client.get(reverse("articles:index")).content.decode()

    assert "Editorial status" in html
    for status in EditorialStatus:
        assert status.label in html


def test_the_article_listing_filters_by_status(client, editor, story_in_every_status):
    client.force_login(editor)

    for status, article in story_in_every_status.items():
        response = client.get(reverse("articles:index"), {"editorial_status": status.value})
        assert [page.title for page in response.context["pages"]] == [article.title]


def test_a_bad_status_filter_is_not_a_500(client, editor, story_in_every_status):
    client.force_login(editor)

    response = client.get(reverse("articles:index"), {"editorial_status": "lost"})

    assert response.status_code == 200
