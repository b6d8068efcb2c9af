"""Editing a live article makes a draft; readers, the API and search keep the live words."""

import pytest
from django.urls import reverse

from news.editorial.actions import ApproveAction, SubmitForReviewAction
from news.editorial.status import EditorialStatus
from news.models import ArticlePage
from news.tests.factories import make_article, paragraph


@pytest.fixture
def live_story_with_a_draft(client, section, writer, article_form):
    article = make_article(
        section, "Dam holds", body=[paragraph("<p>Engineers say the dam holds.</p>")]
    )
    client.force_login(writer)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        article_form("Dam breached", "<p>Unconfirmed: floodwater overtops.</p>", slug=article.slug),
    )
    client.logout()
    return ArticlePage.objects.get(pk=article.pk)


def test_editing_a_live_article_makes_a_draft(live_story_with_a_draft, writer):
    article = live_story_with_a_draft

    assert article.live
    assert article.editorial_status == EditorialStatus.PUBLISHED_WITH_DRAFT
    assert article.get_latest_revision().user == writer
    assert article.get_latest_revision_as_object().title == "Dam breached"


def test_readers_see_the_live_version(client, live_story_with_a_draft):
    html = client.get(live_story_with_a_draft.url).content.decode()

    assert "Dam holds" in html
    assert "Engineers say the dam holds." in html
    assert "overtops" not in html
    assert "Dam breached" not in html


def test_the_api_serves_the_live_version(client, live_story_with_a_draft):
    body = client.get(f"/api/v3/pages/{live_story_with_a_draft.pk}/").content.decode()

    assert "Dam holds" in body
    assert "overtops" not in body


def test_search_finds_the_live_words_only(live_story_with_a_draft):
    # The reader search (search/views.py) runs this query on the search index.
    assert list(ArticlePage.objects.live().search("engineers")) == [live_story_with_a_draft]
    assert not ArticlePage.objects.live().search("overtops")
    assert not ArticlePage.objects.live().search("breached")


def test_the_draft_goes_live_once_approved(client, live_story_with_a_draft, writer, editor):
    SubmitForReviewAction(live_story_with_a_draft, writer).execute()
    assert "overtops" not in client.get(live_story_with_a_draft.url).content.decode()

    ApproveAction(live_story_with_a_draft, editor).execute()

    article = ArticlePage.objects.get(pk=live_story_with_a_draft.pk)
    assert article.editorial_status == EditorialStatus.PUBLISHED
    assert "overtops" in client.get(article.url).content.decode()
