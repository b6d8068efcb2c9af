"""The /api/v3/openapi.json document describes what the API answers (cms/openapi.py)."""

import pytest

from cms.openapi import problem_statuses
from cms.tests.openapi_checks import response_schemas, schema_errors, untyped_places

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


# Every answer is described field by field, so a typed client can be generated from it.


def test_every_response_is_typed(document):
    untyped = [
        f"{name}: {place}"
        for name, schema in response_schemas(document)
        for place in untyped_places(document, schema)
    ]
    assert untyped == []


def test_untyped_places_are_found_behind_refs():
    document = {
        "components": {
            "schemas": {
                "Open": {"type": "object", "additionalProperties": True, "title": "Open"},
                "Typed": {
                    "type": "object",
                    "properties": {
                        "anything": {"title": "Anything"},
                        "list": {"type": "array"},
                        "map": {"type": "object", "additionalProperties": {"type": "integer"}},
                        "open": {"anyOf": [{"$ref": "#/components/schemas/Open"}, {}]},
                    },
                },
            }
        }
    }
    places = list(untyped_places(document, {"$ref": "#/components/schemas/Typed"}))
    assert places == [
        "#Typed.properties.anything",
        "#Typed.properties.list",
        "#Open",
        "#Typed.properties.open.anyOf[1]",
    ]


def test_article_body_blocks_are_told_apart_by_type(document):
    body_blocks = document["components"]["schemas"]["ArticlePageSchema"]["properties"]["body"]
    assert {ref["$ref"].rsplit("/", 1)[1] for ref in body_blocks["items"]["oneOf"]} == {
        "ParagraphBlockDict",
        "HeadingBlockDict",
        "ImageBlockDict",
        "QuoteBlockDict",
        "EmbedBlockDict",
    }


def test_a_full_story_answers_as_its_schema_says(client, document, section):
    from news.tests.factories import make_article, make_author, make_embed, make_image, paragraph

    picture = make_image()
    make_embed("https://www.youtube.com/watch?v=dam", "<iframe title='Dam'></iframe>")
    other = make_article(section, "Earlier story", lead_image=picture)
    article = make_article(
        section,
        "Dam holds",
        authors=[make_author("Ann Lee"), make_author("AFP", kind="agency")],
        tags=["floods"],
        related=[other],
        lead_image=picture,
        body=[
            paragraph('<p>The <a href="https://example.org">dam</a> held.</p>'),
            ("heading", "Overnight"),
            ("image", {"image": picture, "caption": "Spillway", "credit": "AFP", "alt": ""}),
            ("quote", {"quote": "It held.", "attribution": "An engineer"}),
            ("embed", "https://www.youtube.com/watch?v=dam"),
        ],
    )
    answer = client.get(f"/api/v3/pages/{article.pk}/").json()

    schema = {"$ref": "#/components/schemas/ArticlePageSchema"}
    assert schema_errors(document, schema, answer) == []
    assert [block["type"] for block in answer["body"]] == [
        "paragraph",
        "heading",
        "image",
        "quote",
        "embed",
    ]


def test_renditions_are_typed_with_their_modern_formats(document):
    schemas = document["components"]["schemas"]
    formats = schemas["RenditionDict"]["properties"]["formats"]
    assert formats["$ref"].endswith("/RenditionFormatsDict")
    assert set(schemas["RenditionFormatsDict"]["required"]) == {"avif", "webp"}


def test_a_content_type_schema_answers_as_the_document_says(client, document, admin_user):
    from wagtail.models import APIToken

    _token, key = APIToken.create_token(user=admin_user, name="schema reader")
    response = client.get("/api/v3/schema/news.ArticlePage/", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 200
    answer = response.json()
    schema = document["paths"]["/api/v3/schema/{type_name}/"]["get"]["responses"]["200"]
    assert schema_errors(document, schema["content"]["application/json"]["schema"], answer) == []
    assert answer["read"]["properties"]["title"]["type"] == "string"
    # Every direction is a JSON Schema: a schema's "properties" maps names to schemas.
    assert (
        schema_errors(
            document,
            schema["content"]["application/json"]["schema"],
            {"read": {"properties": {"title": "a string is not a schema"}}},
        )
        != []
    )
