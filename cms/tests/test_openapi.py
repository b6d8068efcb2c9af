"""The /api/v3/openapi.json document describes what the API answers (cms/openapi.py)."""

import pytest

from cms.openapi import problem_statuses

pytestmark = pytest.mark.django_db

PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemDetail"}}}


@pytest.fixture
def document(client):
    response = client.get("/api/v3/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(document):
    for path, path_item in document["paths"].items():
        for method, operation in path_item.items():
            yield f"{method.upper()} {path}", operation


def test_every_error_response_is_a_problem_document(document):
    for name, operation in operations(document):
        for status, response in operation["responses"].items():
            if status >= "400":
                assert response["content"] == PROBLEM, (name, status)


def test_wagtail_operations_declare_the_problems_they_answer(document):
    responses = document["paths"]["/api/v3/pages/{page_id}/actions/move/"]["post"]["responses"]
    assert {"400", "401", "403", "404", "422"} <= responses.keys()

    listing = document["paths"]["/api/v3/pages/"]["get"]["responses"]
    assert {"400", "404", "422"} <= listing.keys()
    # An anonymous caller reads the listing; a bad token only makes the call anonymous.
    assert "401" not in listing


def test_our_routers_keep_their_own_problems(document):
    approve = document["paths"]["/api/v3/pages/{page_id}/actions/approve/"]["post"]
    preview = document["paths"]["/api/v3/page_preview/"]["get"]

    assert approve["responses"]["409"]["content"] == PROBLEM
    assert preview["responses"]["401"]["content"] == PROBLEM


@pytest.mark.parametrize("path", ["/api/v3/pages/find/", "/api/v3/redirects/find/"])
def test_find_is_documented_as_a_redirect(document, path):
    responses = document["paths"][path]["get"]["responses"]
    assert "200" not in responses
    assert "Location" in responses["302"]["headers"]


def test_snippet_operations_no_request_can_reach_are_left_out(document):
    # No snippet model exposes api_fields, so Wagtail types {type} as the empty string.
    assert not [path for path in document["paths"] if path.startswith("/api/v3/snippets/")]


def test_problem_statuses_follow_the_operation_shape():
    public_listing = {
        "parameters": [{"in": "query", "name": "limit"}],
        "security": [{"BearerTokenAuth": []}, {"AllowAnonymous": []}],
    }
    token_detail = {
        "parameters": [{"in": "path", "name": "site_id"}],
        "security": [{"BearerTokenAuth": []}],
    }
    whoami = {"security": [{"BearerTokenAuth": []}]}

    assert problem_statuses(public_listing) == {400, 422}
    assert problem_statuses(token_detail) == {401, 403, 404, 422}
    assert problem_statuses(whoami) == {401, 403}
