"""The article representation: the same fields, field by field, in API v2 and v3."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from news.renditions import RENDITIONS
from news.tests.factories import (
    at,
    make_article,
    make_author,
    make_embed,
    make_image,
    paragraph,
)

pytestmark = pytest.mark.django_db

ARTICLE_FIELDS = {
    "title",
    "intro",
    "teaser",
    "dateline",
    "byline",
    "authors",
    "section",
    "tags",
    "first_published_at",
    "last_published_at",
    "lead_image",
    "body",
    "related_articles",
}


@pytest.fixture
def story(section):
    picture = make_image("Harbour at dawn", description="Boats in a harbour")
    picture.focal_point_x, picture.focal_point_y = 600, 400
    picture.focal_point_width, picture.focal_point_height = 100, 80
    picture.save()
    inline = make_image("Crane", description="A crane")
    document = get_document_model().objects.create(
        title="Port report", file=ContentFile(b"report", name="report.txt")
    )
    related = make_article(section, "Port strike ends", intro="Dockers return.", lead_image=picture)
    make_embed("https://video.example.com/watch/7", '<div class="player">Video</div>')
    return make_article(
        section,
        "Harbour reopens",
        intro="Ships sail again.",
        dateline="PORT ELLIS, Marlow Coast",
        authors=[make_author("Jane Doe", role="Reporter"), make_author("AFP", kind="agency")],
        lead_image=picture,
        lead_image_caption="Boats wait.",
        lead_image_credit="AFP photo",
        tags=["storms", "shipping"],
        related=[related],
        published_at=at(2018, 5, 6),
        body=[
            paragraph(
                f'<p>See <a linktype="page" id="{related.pk}">the strike</a> and '
                f'<a linktype="document" id="{document.pk}">the report</a>.</p>'
            ),
            ("heading", "What next"),
            ("image", {"image": inline, "caption": "Cargo.", "credit": "Ledger photo", "alt": ""}),
            ("quote", {"quote": "Open again.", "attribution": "Harbour master"}),
            ("embed", "https://video.example.com/watch/7"),
        ],
    )


def v2_detail(client, page):
    response = client.get(f"/api/v2/pages/{page.pk}/")
    assert response.status_code == 200
    return response.json()


def v3_detail(client, page):
    response = client.get(f"/api/v3/pages/{page.pk}/")
    assert response.status_code == 200
    return response.json()


def test_v2_and_v3_detail_carry_the_same_article_fields(client, story):
    v2, v3 = v2_detail(client, story), v3_detail(client, story)
    assert v2["meta"]["type"] == v3["meta"]["type"] == "news.ArticlePage"
    for field in ARTICLE_FIELDS - {"first_published_at", "last_published_at"}:
        assert field in v2, field
        assert v2[field] == v3[field], field
    assert v2["meta"]["first_published_at"].startswith("2018-05-06")
    assert v3["first_published_at"].startswith("2018-05-06")
    assert v2["last_published_at"][:19] == v3["last_published_at"][:19]


def test_v2_listing_carries_the_full_representation(client, story):
    response = client.get("/api/v2/pages/", {"type": "news.ArticlePage", "title": story.title})
    item = response.json()["items"][0]
    assert ARTICLE_FIELDS - {"first_published_at"} <= set(item)
    assert item == v2_detail(client, story) | {"meta": item["meta"]}


def test_scalar_fields(client, story):
    data = v2_detail(client, story)
    assert data["title"] == "Harbour reopens"
    assert data["intro"] == "Ships sail again."
    assert data["teaser"] == "Ships sail again."
    assert data["dateline"] == "PORT ELLIS, Marlow Coast"
    assert data["byline"] == "Jane Doe and AFP"
    assert data["tags"] == ["shipping", "storms"]


def test_authors_and_section(client, story, section):
    data = v2_detail(client, story)
    assert [(a["name"], a["slug"], a["kind"], a["role"]) for a in data["authors"]] == [
        ("Jane Doe", "jane-doe", "staff", "Reporter"),
        ("AFP", "afp", "agency", ""),
    ]
    assert set(data["authors"][0]) == {"id", "name", "slug", "kind", "role"}
    assert data["section"] == {
        "id": section.pk,
        "title": "World",
        "slug": "world",
        "url": "http://localhost/world/",
    }


def test_lead_image_with_caption_credit_focal_point_and_absolute_renditions(client, story):
    image = v2_detail(client, story)["lead_image"]
    assert image["title"] == "Harbour at dawn"
    assert image["alt"] == "Boats in a harbour"
    assert (image["caption"], image["credit"]) == ("Boats wait.", "AFP photo")
    assert (image["width"], image["height"]) == (1200, 800)
    assert image["focal_point"] == {"x": 600, "y": 400, "width": 100, "height": 80}
    assert {"thumbnail", "medium", "large"} <= set(image["renditions"])
    thumbnail = image["renditions"]["thumbnail"]
    assert thumbnail["url"].startswith("http://")
    assert RENDITIONS["thumbnail"] in thumbnail["url"]
    assert (thumbnail["width"], thumbnail["height"]) == (480, 270)


def test_every_rendition_offers_avif_and_webp_in_v2_and_v3_alike(client, story):
    v2 = v2_detail(client, story)["lead_image"]["renditions"]
    v3 = client.get(f"/api/v3/pages/{story.pk}/").json()["lead_image"]["renditions"]
    assert v2 == v3
    for name, rendition in v2.items():
        formats = rendition["formats"]
        assert set(formats) == {"avif", "webp"}, name
        assert formats["avif"].startswith("http://") and formats["avif"].endswith(".avif")
        assert formats["webp"].endswith(".webp")
        assert RENDITIONS[name] in formats["avif"]


def test_renditions_are_made_once_and_reused(client, story):
    rendition_model = get_image_model().get_rendition_model()
    v2_detail(client, story)
    made = rendition_model.objects.count()
    v2_detail(client, story)
    client.get("/api/v2/pages/", {"type": "news.ArticlePage"})
    assert rendition_model.objects.count() == made


def test_paragraphs_are_front_end_html_with_links_resolved(client, story):
    paragraph_value = v2_detail(client, story)["body"][0]["value"]
    assert 'href="/world/port-strike-ends/"' in paragraph_value
    assert "/documents/" in paragraph_value and "report.txt" in paragraph_value
    assert "linktype" not in paragraph_value
    assert ' id="' not in paragraph_value


def test_body_blocks(client, story):
    body = v2_detail(client, story)["body"]
    assert [block["type"] for block in body] == ["paragraph", "heading", "image", "quote", "embed"]
    assert all({"type", "id", "value"} <= set(block) for block in body)
    assert body[1]["value"] == "What next"
    image = body[2]["value"]
    assert (image["title"], image["alt"], image["caption"], image["credit"]) == (
        "Crane",
        "A crane",
        "Cargo.",
        "Ledger photo",
    )
    assert set(image["renditions"]) >= {"thumbnail", "medium", "large"}
    assert body[3]["value"] == {"quote": "Open again.", "attribution": "Harbour master"}
    assert body[4]["value"]["url"] == "https://video.example.com/watch/7"
    assert '<div class="player">Video</div>' in body[4]["value"]["html"]


def test_related_articles_match_the_page(client, story):
    related = v2_detail(client, story)["related_articles"]
    assert [item["title"] for item in related] == [a.title for a in story.get_related_articles()]
    first = related[0]
    assert first["url"] == "http://localhost/world/port-strike-ends/"
    assert first["teaser"] == "Dockers return."
    assert first["first_published_at"]
    assert first["thumbnail"]["width"] == 480
    assert first["thumbnail"]["formats"]["avif"].endswith(".format-avif.avif")
    assert set(first) == {"id", "title", "url", "teaser", "first_published_at", "thumbnail"}


def test_section_and_home_expose_their_own_fields(client, home_page, section, story):
    home_page.lead_article = story
    home_page.save_revision().publish()
    section_data = v2_detail(client, section)
    assert section_data["meta"]["type"] == "news.SectionPage"
    assert "intro" in section_data
    home = v2_detail(client, home_page)
    assert home["lead_article"]["id"] == story.pk


def test_openapi_schema_describes_the_article_fields(client):
    schema = client.get("/api/v3/openapi.json").json()
    article = schema["components"]["schemas"]["ArticlePageSchema"]["properties"]
    assert ARTICLE_FIELDS <= set(article)
    lead_image = str(article["lead_image"])
    assert "renditions" in str(schema["components"]["schemas"]) and "ImageDict" in lead_image
