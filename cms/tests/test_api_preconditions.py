"""API v3 page writes with If-Match: a PATCH naming a revision that is no longer the latest
answers 412 and changes nothing; responses carry an ETag naming the latest revision."""

import json

import pytest

from news.models import ArticlePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(story_by, editor):
    return story_by(editor, title="Flood barriers fail")


def read(client, article, headers):
    response = client.get(f"/api/v3/pages/{article.pk}/", {"version": "draft"}, **headers)
    assert response.status_code == 200
    return response


def patch(client, article, headers, title, if_match=None):
    extra = {"HTTP_IF_MATCH": if_match} if if_match is not None else {}
    data = {"meta": {"type": "news.ArticlePage"}, "title": title}
    return client.patch(
        f"/api/v3/pages/{article.pk}/",
        json.dumps(data),
        content_type="application/json",
        **headers,
        **extra,
    )


def latest(article):
    return ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()


def test_a_read_names_the_latest_revision(client, story, editor, bearer):
    etag = read(client, story, bearer(editor))["ETag"]

    assert etag.startswith(f'"r{story.latest_revision_id}-')


def test_a_patch_naming_a_stale_revision_is_412_and_changes_nothing(
    client, story, editor, second_editor, bearer
):
    eddie, erin = bearer(editor), bearer(second_editor)
    eddies_etag = read(client, story, eddie)["ETag"]
    erins_etag = read(client, story, erin)["ETag"]
    assert eddies_etag == erins_etag

    first = patch(client, story, erin, "Erin's headline", if_match=erins_etag)
    revisions = story.revisions.count()
    second = patch(client, story, eddie, "Eddie's headline", if_match=eddies_etag)

    assert first.status_code == 200
    assert second.status_code == 412
    assert second["Content-Type"] == "application/problem+json"
    problem = second.json()
    assert problem["status"] == 412
    assert problem["title"] == "Precondition Failed"
    new_revision = ArticlePage.objects.get(pk=story.pk).latest_revision_id
    assert f"latest revision is {new_revision}" in problem["detail"]
    assert story.revisions.count() == revisions
    assert latest(story).title == "Erin's headline"


def test_a_patch_naming_the_latest_revision_succeeds_and_names_the_new_one(
    client, story, editor, bearer
):
    headers = bearer(editor)
    etag = read(client, story, headers)["ETag"]

    response = patch(client, story, headers, "New headline", if_match=etag)

    assert response.status_code == 200
    new_revision = ArticlePage.objects.get(pk=story.pk).latest_revision_id
    assert new_revision != story.latest_revision_id
    assert response["ETag"].startswith(f'"r{new_revision}-')
    assert latest(story).title == "New headline"
    # The ETag of the answer is good for the next change.
    assert patch(client, story, headers, "Newer", if_match=response["ETag"]).status_code == 200


@pytest.mark.parametrize(
    "if_match",
    [
        '"r{revision}"',  # the bare revision tag, as a 412 answer gives it
        '"r1", "r{revision}-0123"',  # one of several
        "*",  # any version: last write wins, on purpose
    ],
)
def test_if_match_forms_that_name_the_latest_revision(client, story, editor, bearer, if_match):
    header = if_match.format(revision=story.latest_revision_id)

    response = patch(client, story, bearer(editor), "Fine", if_match=header)

    assert response.status_code == 200


@pytest.mark.parametrize(
    "if_match", ['W/"r{revision}"', '"r{previous}"', "garbage", '""', '"r99999999"']
)
def test_if_match_forms_that_do_not_are_412(client, story, editor, bearer, if_match):
    previous = story.latest_revision_id
    story.save_revision(user=editor)
    header = if_match.format(
        revision=ArticlePage.objects.get(pk=story.pk).latest_revision_id, previous=previous
    )
    title = latest(story).title

    response = patch(client, story, bearer(editor), "Refused", if_match=header)

    assert response.status_code == 412
    assert latest(story).title == title


def test_without_if_match_the_write_goes_through(client, story, editor, bearer):
    assert patch(client, story, bearer(editor), "Unconditional").status_code == 200


def test_a_caller_who_may_not_edit_gets_no_412(client, story, django_user_model, bearer):
    # No newsroom role: the usual refusal, never news of the page's revisions.
    nobody = django_user_model.objects.create_user("nobody", "n@n.test", "pw")

    response = patch(client, story, bearer(nobody), "Hijack", if_match='"r1"')

    assert response.status_code in (403, 404)
    assert latest(story).title == "Flood barriers fail"


def test_anonymous_reads_do_not_name_revisions(client, story, editor):
    revision = story.save_revision(user=editor)
    revision.publish()

    response = client.get(f"/api/v3/pages/{story.pk}/")

    assert response.status_code == 200
    assert not response["ETag"].startswith('"r')


def test_the_openapi_document_declares_the_412(client):
    document = client.get("/api/v3/openapi.json").json()

    responses = document["paths"]["/api/v3/pages/{page_id}/"]["patch"]["responses"]

    assert "412" in responses
    assert "412" not in document["paths"]["/api/v3/pages/"]["post"]["responses"]
