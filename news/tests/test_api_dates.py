"""An article's dates have one shape: first_published_at and last_published_at top-level in
API v2 lists and details and API v3 details, as the OpenAPI document and the README say."""

from pathlib import Path

import pytest
from django.utils.dateparse import parse_datetime

from news.tests.factories import at, make_article

pytestmark = pytest.mark.django_db

DATES = ("first_published_at", "last_published_at")


@pytest.fixture
def story(section):
    return make_article(section, "Harbour reopens", published_at=at(2018, 5, 6))


def answers(client, story):
    listing = client.get("/api/v2/pages/", {"type": "news.ArticlePage"}).json()["items"]
    return {
        "v2 list": listing[0],
        "v2 detail": client.get(f"/api/v2/pages/{story.pk}/").json(),
        "v3 detail": client.get(f"/api/v3/pages/{story.pk}/").json(),
    }


def test_both_dates_are_top_level_in_v2_lists_and_details_and_v3_details(client, story):
    for name, data in answers(client, story).items():
        assert parse_datetime(data["first_published_at"]) == at(2018, 5, 6), name
        last = parse_datetime(data["last_published_at"])
        assert abs((last - story.last_published_at).total_seconds()) < 0.001, name
        # Wagtail's meta keeps it too, for clients that read it there.
        assert data["meta"]["first_published_at"] == data["first_published_at"], name


def test_the_dates_sit_side_by_side_in_v2(client, story):
    keys = list(client.get(f"/api/v2/pages/{story.pk}/").json())
    assert keys.index("last_published_at") == keys.index("first_published_at") + 1


def test_v2_fields_can_still_leave_the_date_out(client, story):
    data = client.get(f"/api/v2/pages/{story.pk}/", {"fields": "-first_published_at"}).json()
    assert "first_published_at" not in data
    assert "first_published_at" not in data["meta"]


def test_other_pages_keep_wagtails_shape(client, story, section):
    data = client.get(f"/api/v2/pages/{section.pk}/").json()
    assert "first_published_at" in data["meta"]
    assert "first_published_at" not in data


def test_the_openapi_document_and_the_readme_say_the_same(client):
    document = client.get("/api/v3/openapi.json").json()
    schema = document["components"]["schemas"]["ArticlePageSchema"]
    for date in DATES:
        assert schema["properties"][date]["anyOf"][0] == {"format": "date-time", "type": "string"}
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "`first_published_at` and `last_published_at` are top-level" in readme
