"""Two editors on one article: the admin warns before an overwrite (Wagtail's editing
sessions), and a stale autosave is refused."""

import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from news.models import ArticlePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(story_by, writer):
    return story_by(writer, title="Flood barriers fail")


def open_editor(client, article):
    """GET the editor; returns what its editing-session form and page form carry."""
    response = client.get(f"/admin/pages/{article.pk}/edit/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    session = soup.select_one("form[data-controller~=w-session]")
    return {
        "ping_url": session["data-w-swap-src-value"],
        "revision_id": session.select_one("input[name=revision_id]")["value"],
        "revision_created_at": session.select_one("input[name=revision_created_at]")["value"],
        "loaded_revision_id": soup.select_one("input[name=loaded_revision_id]")["value"],
        "loaded_revision_created_at": soup.select_one("input[name=loaded_revision_created_at]")[
            "value"
        ],
    }


def ping(client, editor_state, is_editing=True):
    response = client.post(
        editor_state["ping_url"],
        {
            "is_editing": "1" if is_editing else "",
            "revision_id": editor_state["revision_id"],
            "revision_created_at": editor_state["revision_created_at"],
        },
    )
    assert response.status_code == 200
    return response.json()


def save(client, article, article_form, body):
    data = article_form(article.title, f"<p>{body}</p>", slug=article.slug)
    return client.post(f"/admin/pages/{article.pk}/edit/", data)


@pytest.fixture
def two_editors(editor, second_editor):
    eddie, erin = Client(), Client()
    eddie.force_login(editor)
    erin.force_login(second_editor)
    return eddie, erin


def test_the_editor_is_warned_when_someone_saves_a_newer_version(
    two_editors, story, article_form, second_editor
):
    eddie, erin = two_editors
    eddies_editor = open_editor(eddie, story)
    assert ping(eddie, eddies_editor)["other_sessions"] == []

    # Erin opens the same article and saves her change while Eddie is still editing.
    open_editor(erin, story)
    assert save(erin, story, article_form, "Erin's rewrite.").status_code == 302
    erins_revision = ArticlePage.objects.get(pk=story.pk).latest_revision

    reply = ping(eddie, eddies_editor)

    [other] = reply["other_sessions"]
    assert other["user"] == "Erin"
    assert other["revision_id"] == erins_revision.pk
    # What the admin shows: the warning beside Erin's avatar, and the save dialog's text.
    # (The dialog's text is in <template>s, whose content a parser keeps apart: read tags out.)
    text = " ".join(re.sub(r"<[^>]*>", " ", reply["html"]).split())
    assert "Erin saved a new version" in text
    assert "Proceeding will overwrite the changes made by Erin." in text


def test_no_warning_while_nobody_else_saved(two_editors, story):
    eddie, erin = two_editors
    eddies_editor = open_editor(eddie, story)
    open_editor(erin, story)

    reply = ping(eddie, eddies_editor)

    [other] = reply["other_sessions"]
    assert other["user"] == "Erin" and other["revision_id"] is None
    assert "saved a new version" not in reply["html"]


def test_a_stale_autosave_is_refused_and_changes_nothing(two_editors, story, article_form):
    eddie, erin = two_editors
    eddies_editor = open_editor(eddie, story)
    assert save(erin, story, article_form, "Erin's rewrite.").status_code == 302
    revisions = story.revisions.count()

    # Eddie's editor saves in the background (JSON), naming the version it loaded.
    data = article_form(
        story.title,
        "<p>Eddie's version.</p>",
        slug=story.slug,
        loaded_revision_id=eddies_editor["loaded_revision_id"],
        loaded_revision_created_at=eddies_editor["loaded_revision_created_at"],
    )
    response = eddie.post(
        f"/admin/pages/{story.pk}/edit/", data, headers={"Accept": "application/json"}
    )

    assert response.json() == {
        "success": False,
        "error_code": "invalid_revision",
        "error_message": "Saving will overwrite a newer version.",
    }
    assert story.revisions.count() == revisions
    latest = ArticlePage.objects.get(pk=story.pk).get_latest_revision_as_object()
    assert "Erin's rewrite." in str(latest.body)
