"""The editorial actions over Wagtail's v3 API: same rules as the admin, JSON errors, schema."""

import json

import pytest

from news.editorial.status import EditorialStatus
from news.models import ArticlePage


def fresh(article):
    return ArticlePage.objects.get(pk=article.pk)


def act(client, article, action, headers, comment=None):
    body = {} if comment is None else {"comment": comment}
    return client.post(
        f"/api/v3/pages/{article.pk}/actions/{action}/",
        json.dumps(body),
        content_type="application/json",
        **headers,
    )


def assert_problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == status
    return response.json()


@pytest.mark.parametrize("action", ["submit", "approve", "request-changes"])
def test_actions_need_a_token(client, writer, story_by, action):
    article = story_by(writer)

    assert_problem(act(client, article, action, {}), 401)
    assert_problem(act(client, article, action, {"HTTP_AUTHORIZATION": "Bearer nonsense"}), 401)


def test_workflow_needs_a_token(client, writer, story_by):
    article = story_by(writer)

    assert_problem(client.get(f"/api/v3/pages/{article.pk}/workflow/"), 401)


def test_session_login_is_not_enough(client, writer, story_by):
    article = story_by(writer)
    client.force_login(writer)

    assert_problem(act(client, article, "submit", {}), 401)
    assert fresh(article).editorial_status == EditorialStatus.DRAFT


def test_writer_submits_over_the_api(client, writer, story_by, bearer):
    article = story_by(writer)

    response = act(client, article, "submit", bearer(writer))

    assert response.status_code == 200
    body = response.json()
    assert body["editorial_status"] == "in_review"
    assert body["workflow"] == "Editorial review"
    assert body["current_task"]["name"] == "Desk review"
    assert [entry["action"] for entry in body["history"]] == ["submitted"]
    assert body["history"][0]["user"] == {"id": writer.pk, "name": "Wendy"}


def test_submitting_a_story_already_in_review_is_a_conflict(client, writer, story_by, bearer):
    article = story_by(writer)
    headers = bearer(writer)
    act(client, article, "submit", headers)

    problem = assert_problem(act(client, article, "submit", headers), 409)

    assert "already in review" in problem["detail"]


@pytest.mark.parametrize("in_review", [True, False])
def test_writer_cannot_approve(client, writer, story_by, bearer, in_review):
    article = story_by(writer)
    if in_review:
        article.get_workflow().start(article, writer)

    problem = assert_problem(act(client, article, "approve", bearer(writer)), 403)

    assert "Only Editors" in problem["detail"]
    assert not fresh(article).live
    expected = EditorialStatus.IN_REVIEW if in_review else EditorialStatus.DRAFT
    assert fresh(article).editorial_status == expected


def test_writer_cannot_publish_over_the_api(client, writer, story_by, bearer):
    article = story_by(writer)

    assert_problem(
        client.post(f"/api/v3/pages/{article.pk}/actions/publish/", **bearer(writer)), 403
    )
    assert not fresh(article).live


def test_writer_cannot_request_changes(client, writer, story_by, bearer):
    article = story_by(writer)
    article.get_workflow().start(article, writer)

    assert_problem(act(client, article, "request-changes", bearer(writer), "No."), 403)
    assert fresh(article).editorial_status == EditorialStatus.IN_REVIEW


def test_approving_a_draft_not_in_review_is_a_conflict(client, writer, editor, story_by, bearer):
    article = story_by(writer)

    problem = assert_problem(act(client, article, "approve", bearer(editor)), 409)

    assert "not in review" in problem["detail"]
    assert not fresh(article).live


def test_editor_approves_over_the_api_and_the_story_is_live(
    client, writer, editor, story_by, bearer
):
    article = story_by(writer)
    act(client, article, "submit", bearer(writer))

    response = act(client, article, "approve", bearer(editor), "Clean copy.")

    assert response.status_code == 200
    body = response.json()
    assert body["editorial_status"] == "published"
    assert body["current_task"] is None
    assert [entry["action"] for entry in body["history"]] == ["submitted", "approved", "published"]
    assert body["history"][1]["comment"] == "Clean copy."
    assert body["history"][1]["user"]["id"] == editor.pk
    assert fresh(article).live


def test_last_author_cannot_approve_over_the_api(client, editor, story_by, bearer):
    article = story_by(editor)
    article.get_workflow().start(article, editor)

    problem = assert_problem(act(client, article, "approve", bearer(editor)), 403)

    assert "second read" in problem["detail"]
    assert fresh(article).editorial_status == EditorialStatus.IN_REVIEW


def test_editor_requests_changes_and_the_writer_resubmits(client, writer, editor, story_by, bearer):
    article = story_by(writer)
    act(client, article, "submit", bearer(writer))

    response = act(client, article, "request-changes", bearer(editor), "Check the toll figure.")
    assert response.status_code == 200
    assert response.json()["editorial_status"] == "changes_requested"
    assert response.json()["history"][-1] == {
        "action": "changes_requested",
        "user": {"id": editor.pk, "name": "Eddie"},
        "comment": "Check the toll figure.",
        "time": response.json()["history"][-1]["time"],
    }

    fresh(article).save_revision(user=writer)
    response = act(client, article, "submit", bearer(writer))
    assert response.json()["editorial_status"] == "in_review"


@pytest.mark.parametrize("comment", [None, "", "   "])
def test_request_changes_needs_a_comment(client, writer, editor, story_by, bearer, comment):
    article = story_by(writer)
    article.get_workflow().start(article, writer)

    assert_problem(act(client, article, "request-changes", bearer(editor), comment), 422)
    assert fresh(article).editorial_status == EditorialStatus.IN_REVIEW


@pytest.mark.parametrize("action", ["approve", "request-changes"])
def test_a_comment_with_a_null_character_is_refused(
    client, writer, editor, story_by, bearer, action
):
    # PostgreSQL cannot store it: this was a 500 there.
    article = story_by(writer)
    article.get_workflow().start(article, writer)

    problem = assert_problem(act(client, article, action, bearer(editor), "Fine\x00"), 422)

    assert problem["errors"][0]["loc"] == ["body", "data", "comment"]
    assert fresh(article).editorial_status == EditorialStatus.IN_REVIEW


def test_a_malformed_body_is_a_json_error_not_a_500(client, writer, editor, story_by, bearer):
    article = story_by(writer)
    article.get_workflow().start(article, writer)

    response = client.post(
        f"/api/v3/pages/{article.pk}/actions/approve/",
        "{not json",
        content_type="application/json",
        **bearer(editor),
    )

    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"


def test_an_unknown_page_is_not_found(client, writer, bearer):
    assert_problem(client.get("/api/v3/pages/999999/workflow/", **bearer(writer)), 404)
    assert_problem(act(client, type("Missing", (), {"pk": 999999}), "submit", bearer(writer)), 404)


def test_workflow_reports_a_draft(client, writer, story_by, bearer):
    article = story_by(writer)

    body = client.get(f"/api/v3/pages/{article.pk}/workflow/", **bearer(writer)).json()

    assert body == {
        "id": article.pk,
        "title": article.title,
        "editorial_status": "draft",
        "workflow": "Editorial review",
        "current_task": None,
        "history": [],
    }


def test_openapi_schema_lists_the_editorial_actions(client):
    schema = client.get("/api/v3/openapi.json").json()

    for path in [
        "/api/v3/pages/{page_id}/workflow/",
        "/api/v3/pages/{page_id}/actions/submit/",
        "/api/v3/pages/{page_id}/actions/approve/",
        "/api/v3/pages/{page_id}/actions/request-changes/",
    ]:
        assert path in schema["paths"]
    assert "409" in schema["paths"]["/api/v3/pages/{page_id}/actions/approve/"]["post"]["responses"]
    statuses = schema["components"]["schemas"]["PageWorkflowSchema"]["properties"]
    assert set(statuses["editorial_status"]["enum"]) == {status.value for status in EditorialStatus}


@pytest.mark.parametrize("role, allowed", [("writer", False), ("editor", True)])
def test_only_editors_unpublish_over_the_api(client, request, section, bearer, role, allowed):
    from news.tests.factories import make_article

    article = make_article(section, "Live story")
    user = request.getfixturevalue(role)

    response = client.post(
        f"/api/v3/pages/{article.pk}/actions/unpublish/",
        "{}",
        content_type="application/json",
        **bearer(user),
    )

    assert response.status_code == (200 if allowed else 403)
    assert fresh(article).live is not allowed
