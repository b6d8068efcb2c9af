"""GET /api/v3/pages/{id}/ninjs/: a live article as ninjs that validates against the schema."""

import jsonschema
import pytest
from referencing import Registry, Resource
from wagtail.models import PageViewRestriction

from cms.tests.openapi_checks import schema_errors
from news.tests.factories import make_article, make_author, make_image, paragraph
from wire.ninjs import GEOJSON_URL, SCHEMA_DIR, load_schema

EXPORT_SCHEMAS = {"1": "1.6", "2": "2.2", "3": "3.1"}


def official_validator(version):
    """A jsonschema validator of the official schema, built here independently of wire/."""
    import json

    geojson = json.loads((SCHEMA_DIR / "geojson" / "GeoJSON.json").read_text())
    registry = Registry().with_resource(GEOJSON_URL, Resource.from_contents(geojson))
    schema = load_schema(version)
    return jsonschema.validators.validator_for(schema)(schema, registry=registry)


@pytest.fixture
def story(section):
    body = [
        paragraph('<p>The dam <b>held</b>, <a href="https://example.org/">officials</a> said.</p>'),
        ("heading", "What next"),
        ("quote", {"quote": "We were lucky.", "attribution": "The mayor"}),
    ]
    return make_article(
        section,
        "Dam holds after night of rain",
        intro="Engineers relieved.",
        dateline="LYON, France",
        authors=[make_author("Ann Lee"), make_author("AFP", kind="agency")],
        tags=["floods", "France"],
        body=body,
        lead_image=make_image(width=64, height=48),
        lead_image_caption="The dam at dawn.",
        lead_image_credit="AFP photo",
        language="en-gb",
    )


@pytest.mark.parametrize("version", ["1", "2", "3"])
def test_the_export_validates_against_the_official_schema(client, story, version):
    response = client.get(f"/api/v3/pages/{story.pk}/ninjs/?version={version}")

    assert response.status_code == 200
    item = response.json()
    errors = [e.message for e in official_validator(EXPORT_SCHEMAS[version]).iter_errors(item)]
    assert errors == []
    assert item["uri"] == story.get_full_url()
    assert item["language"] == "en-gb"
    assert item["located"] == "LYON, France"


@pytest.mark.parametrize("version", ["1", "2", "3"])
def test_the_export_answers_as_the_openapi_document_says(client, section, story, version):
    bare = make_article(section, "Bare story", body=[], intro="")
    document = client.get("/api/v3/openapi.json").json()
    responses = document["paths"]["/api/v3/pages/{page_id}/ninjs/"]["get"]["responses"]
    schema = responses["200"]["content"]["application/json"]["schema"]
    own = {"$ref": f"#/components/schemas/Ninjs{version}Item"}
    others = [
        {"$ref": f"#/components/schemas/Ninjs{other}Item"} for other in "123" if other != version
    ]

    for article in (story, bare):
        item = client.get(f"/api/v3/pages/{article.pk}/ninjs/?version={version}").json()
        assert schema_errors(document, schema, item) == []
        assert schema_errors(document, own, item) == []
        assert all(schema_errors(document, other, item) for other in others)


def test_ninjs_2_carries_the_story(client, story):
    item = client.get(f"/api/v3/pages/{story.pk}/ninjs/?version=2").json()

    assert item["headlines"] == [{"role": "main", "value": "Dam holds after night of rain"}]
    assert item["descriptions"] == [{"role": "summary", "value": "Engineers relieved."}]
    assert item["by"] == "Ann Lee and AFP"
    assert item["subjects"] == [{"name": "floods"}, {"name": "France"}]
    [body] = item["bodies"]
    assert body["contenttype"] == "text/html"
    assert body["value"].startswith(
        '<p>The dam <b>held</b>, <a href="https://example.org/">officials</a> said.</p>'
        "<h2>What next</h2><blockquote><p>We were lucky.</p><cite>The mayor</cite></blockquote>"
    )
    assert item["versioncreated"] == story.last_published_at.isoformat()
    [picture] = item["associations"]
    assert picture["type"] == "picture"
    assert picture["by"] == "AFP photo"
    assert picture["descriptions"] == [{"role": "caption", "value": "The dam at dawn."}]
    assert {r["name"] for r in picture["renditions"]} == {"thumbnail", "small", "medium", "large"}
    assert all(r["href"].startswith("http") for r in picture["renditions"])


def test_ninjs_1_and_3_use_their_own_keys(client, story):
    one = client.get(f"/api/v3/pages/{story.pk}/ninjs/?version=1").json()
    three = client.get(f"/api/v3/pages/{story.pk}/ninjs/").json()

    assert (one["headline"], one["byline"]) == ("Dam holds after night of rain", "Ann Lee and AFP")
    assert "<h2>What next</h2>" in one["body_html"]
    assert one["associations"]["featureimage"]["renditions"]["large"]["mimetype"] == "image/jpeg"
    assert three["standard"]["version"] == "3.1"
    assert three["bodies"][0]["contentType"] == "text/html"
    assert three["pubStatus"] == "usable"


def test_an_ingested_story_round_trips_once_published(client, desk, editor):
    from news.editorial.actions import ApproveAction
    from news.models import ArticlePage

    from .factories import ninjs_story

    desk.ingest(ninjs_story())
    ApproveAction(ArticlePage.objects.get(), editor).execute()
    article = ArticlePage.objects.get()

    item = client.get(f"/api/v3/pages/{article.pk}/ninjs/?version=2").json()
    assert item["by"] == "Ann Lee and AFP"
    assert official_validator("2.2").is_valid(item)


def test_drafts_private_pages_and_other_pages_are_404(client, section, story):
    draft = make_article(section, "Not yet", publish=False)
    PageViewRestriction.objects.create(page=story, restriction_type="login")

    for page_id in (draft.pk, story.pk, section.pk, 999_999):
        response = client.get(f"/api/v3/pages/{page_id}/ninjs/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("query", ["?version=4", "?version=two"])
def test_an_unknown_version_is_422(client, story, query):
    assert client.get(f"/api/v3/pages/{story.pk}/ninjs/{query}").status_code == 422


@pytest.mark.parametrize("page_id", ["0", "abc", str(2**64)])
def test_a_bad_page_id_is_422(client, page_id):
    assert client.get(f"/api/v3/pages/{page_id}/ninjs/").status_code == 422
