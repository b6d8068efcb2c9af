"""Bad input the v3 API (and v2, where shared) used to answer with a 500: now a JSON 4xx.

Each case is a Wagtail bug guarded in cms/api_guards.py; see there for the cause.
"""

import json

import pytest
from wagtail.models import Page

from news.tests.factories import make_article

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


@pytest.fixture
def admin(admin_user, bearer):
    return bearer(admin_user)


def assert_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def send(client, method, path, body, headers):
    return getattr(client, method)(
        path, json.dumps(body), content_type="application/json", **headers
    )


@pytest.mark.parametrize("body", [[None, None], "page", 1, None])
@pytest.mark.parametrize(
    "method, path", [("post", "/api/v3/pages/"), ("patch", "/api/v3/pages/3/")]
)
def test_a_body_that_is_not_an_object_is_a_400(client, home_page, admin, body, method, path):
    assert_problem(send(client, method, path, body, admin), 400)


@pytest.mark.parametrize("page_id", ["abc", "%C3%B9", "1.5"])
def test_updating_a_page_by_a_non_integer_id_is_a_422(client, admin, page_id):
    problem = assert_problem(send(client, "patch", f"/api/v3/pages/{page_id}/", {}, admin), 422)
    assert problem["errors"][0]["loc"] == ["path", "page_id"]


@pytest.mark.parametrize("action", ["copy", "create_alias"])
def test_copying_the_root_page_needs_a_destination(client, admin, action):
    root = Page.get_first_root_node()

    response = send(client, "post", f"/api/v3/pages/{root.pk}/actions/{action}/", {}, admin)

    problem = assert_problem(response, 422)
    assert problem["errors"][0]["loc"] == ["body", "data", "destination_id"]


@pytest.mark.parametrize("position", [None, "left", "right", "first-sibling", "last-sibling"])
def test_nothing_moves_beside_the_root_page(client, section, admin, position):
    article = make_article(section, "Storm warning")
    root = Page.get_first_root_node()
    body = {"destination_id": root.pk, "position": position}

    response = send(client, "post", f"/api/v3/pages/{article.pk}/actions/move/", body, admin)

    assert_problem(response, 422)
    assert article.get_parent().pk == section.pk


def test_moving_under_the_root_page_reaches_wagtails_own_rules(client, section, admin):
    article = make_article(section, "Storm warning")
    root = Page.get_first_root_node()
    body = {"destination_id": root.pk, "position": "last-child"}

    response = send(client, "post", f"/api/v3/pages/{article.pk}/actions/move/", body, admin)

    # Not the guard's 422: articles may not live under the root (parent_page_types).
    assert_problem(response, 403)


@pytest.mark.parametrize("user_id", ["abc", "1.5"])
def test_revisions_by_a_non_integer_user_id_are_a_422(client, section, admin, user_id):
    article = make_article(section, "Storm warning")

    response = client.get(f"/api/v3/pages/{article.pk}/revisions/", {"user_id": user_id}, **admin)

    problem = assert_problem(response, 422)
    assert problem["errors"][0]["loc"] == ["query", "user_id"]


@pytest.mark.parametrize(
    "path",
    ["/api/v3/pages/", "/api/v3/images/", "/api/v3/documents/", "/api/v3/redirects/"],
)
def test_an_offset_beyond_the_database_is_a_400(client, path):
    assert_problem(client.get(path, {"offset": HUGE}), 400)


def test_the_largest_offset_the_database_takes_is_an_empty_page(client, home_page):
    response = client.get("/api/v3/pages/", {"offset": str(2**63 - 1)})
    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize("path", ["/api/v2/pages/", "/api/v2/images/", "/api/v2/documents/"])
def test_v2_offset_beyond_the_database_is_a_400(client, path):
    response = client.get(path, {"offset": HUGE})
    assert response.status_code == 400
    assert "offset" in response.json()["message"]


@pytest.mark.parametrize(
    "path, params",
    [
        ("/api/v3/pages/find/", {"html_path": "/world/\x00/"}),
        ("/api/v3/redirects/find/", {"html_path": "\x00"}),
        ("/api/v3/pages/", {"locale": "\x00"}),
        ("/api/v3/pages/", {"site": "\x00"}),
    ],
)
def test_a_null_character_in_the_query_is_a_400(client, home_page, path, params):
    # A DataError (500) on PostgreSQL before.
    assert_problem(client.get(path, params), 400)


@pytest.mark.parametrize("path", ["/api/v3/pages/find/", "/api/v3/redirects/find/"])
def test_find_with_nothing_to_find_is_a_problem_not_a_500(client, home_page, path):
    response = client.get(path)
    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/problem+json"
