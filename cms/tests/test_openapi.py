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


# The article detail is described field by field, so a typed client can be generated from it.


def untyped_places(node, path="$"):
    """Paths in a schema that accept anything: `{}` or an object without properties."""
    if isinstance(node, dict):
        if node == {}:
            yield path
        elif node.get("type") == "object" and not (
            {"properties", "additionalProperties"} & set(node)
        ):
            yield path
        for key, value in node.items():
            if key not in ("description", "title", "example", "examples", "default"):
                yield from untyped_places(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from untyped_places(value, f"{path}[{index}]")


def referenced(document, schema_name, seen=None):
    """The component schemas `schema_name` refers to, itself included."""
    seen = set() if seen is None else seen
    if schema_name in seen:
        return seen
    seen.add(schema_name)
    text = str(document["components"]["schemas"][schema_name])
    for name in document["components"]["schemas"]:
        if f"'#/components/schemas/{name}'" in text:
            referenced(document, name, seen)
    return seen


def test_the_article_detail_schema_types_every_field(document):
    schemas = document["components"]["schemas"]
    described = referenced(document, "ArticlePageSchema") | referenced(document, "ProblemDetail")
    untyped = [
        f"{name}{place[1:]}"
        for name in sorted(described)
        for place in untyped_places(schemas[name])
    ]
    assert untyped == []
    body_blocks = schemas["ArticlePageSchema"]["properties"]["body"]["items"]["oneOf"]
    assert {ref["$ref"].rsplit("/", 1)[1] for ref in body_blocks} == {
        "ParagraphBlockDict",
        "HeadingBlockDict",
        "ImageBlockDict",
        "QuoteBlockDict",
        "EmbedBlockDict",
    }


def test_a_full_story_answers_as_its_schema_says(client, document, section):
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

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

    registry = Registry().with_resource(
        "urn:openapi", Resource.from_contents(document, DRAFT202012)
    )
    schema = {"$ref": "urn:openapi#/components/schemas/ArticlePageSchema"}
    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in Draft202012Validator(schema, registry=registry).iter_errors(answer)
    ]
    assert errors == []
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
