"""POST /api/v3/wire/ninjs/: agencies push items with a token whose user may ingest."""

import json

import pytest
from django.contrib.auth.models import Permission

from news.models import ArticlePage

from .factories import ninjs_story

URL = "/api/v3/wire/ninjs/"


@pytest.fixture
def agency_push(client, wire_user, bearer):
    """POSTs JSON as the wire user: agency_push(body, query="")."""

    def push(body, query="", headers=None):
        return client.post(
            URL + query,
            data=body if isinstance(body, str) else json.dumps(body),
            content_type="application/json",
            **(headers if headers is not None else bearer(wire_user)),
        )

    return push


def test_a_pushed_item_becomes_an_article_in_review(agency_push):
    response = agency_push(ninjs_story())

    assert response.status_code == 200
    body = response.json()
    assert body["counts"]["created"] == 1
    [item] = body["items"]
    assert item["outcome"] == "created"
    assert ArticlePage.objects.get(pk=item["article_id"]).editorial_status == "in_review"


def test_a_list_is_one_transaction(agency_push):
    response = agency_push([ninjs_story(uri="urn:a"), ninjs_story(uri="urn:b")])
    assert [i["outcome"] for i in response.json()["items"]] == ["created", "created"]

    response = agency_push([ninjs_story(uri="urn:c"), {"uri": "urn:d", "headlines": "x"}])

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert {"path": "$[1].headlines", "msg": "'x' is not of type 'array'"} in response.json()[
        "errors"
    ]
    assert not ArticlePage.objects.filter(wire_uri="urn:c").exists()


def test_no_token_is_401(agency_push):
    response = agency_push(ninjs_story(), headers={})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_token_without_the_ingest_permission_is_403(agency_push, editor, bearer):
    response = agency_push(ninjs_story(), headers=bearer(editor))
    assert response.status_code == 403
    assert not ArticlePage.objects.exists()


def test_a_user_with_only_the_ingest_permission_may_push(
    agency_push, django_user_model, bearer, wire_settings
):
    agency = django_user_model.objects.create_user("afp-feed")
    agency.user_permissions.add(Permission.objects.get(codename="ingest_wire"))

    response = agency_push(ninjs_story(), headers=bearer(agency))

    assert response.status_code == 200
    article = ArticlePage.objects.get()
    assert article.latest_revision.user == agency
    assert not article.permissions_for_user(agency).can_edit()


def test_section_and_submit_parameters(agency_push, home_page):
    from news.tests.factories import make_section

    make_section(home_page, "Business")
    response = agency_push(ninjs_story(), "?section=business&submit=false")

    article = ArticlePage.objects.get(pk=response.json()["items"][0]["article_id"])
    assert article.get_parent().slug == "business"
    assert article.editorial_status == "draft"


@pytest.mark.parametrize(
    ("body", "query", "status"),
    [
        (ninjs_story(), "?section=nowhere", 400),
        ("{not json", "", 400),
        ([], "", 422),
        ({"uri": "urn:x", "type": "picture"}, "", 422),
        (ninjs_story(), "?submit=perhaps", 422),
    ],
)
def test_bad_input_is_a_problem_document(agency_push, body, query, status):
    response = agency_push(body, query)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"


def test_too_many_items_is_413(agency_push, settings):
    settings.NEWS_WIRE_MAX_ITEMS = 2
    response = agency_push([ninjs_story(uri=f"urn:{n}") for n in range(3)])
    assert response.status_code == 413


def test_the_push_endpoint_is_in_the_openapi_document(client):
    document = client.get("/api/v3/openapi.json").json()
    operation = document["paths"]["/api/v3/wire/ninjs/"]["post"]
    assert operation["operationId"] == "wire_ninjs_ingest"
    assert {"400", "401", "403", "413", "422"} <= set(operation["responses"])
    assert "/api/v3/pages/{page_id}/ninjs/" in document["paths"]
