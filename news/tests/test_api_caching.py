"""API responses are cacheable, answer conditional GETs, and never outlive a publish."""

import pytest
from wagtail.models import APIToken

from news.tests.factories import make_article

pytestmark = pytest.mark.django_db

LIST = "/api/v2/pages/?type=news.ArticlePage"


def test_anonymous_reads_are_public_with_etag_and_last_modified(client, section):
    make_article(section, "Cached story")
    response = client.get(LIST)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert "Authorization" in response["Vary"]


def test_second_anonymous_read_comes_from_the_cache(client, section, django_assert_num_queries):
    make_article(section, "Cached story")
    first = client.get(LIST)
    with django_assert_num_queries(0):
        second = client.get(LIST)
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_conditional_get_answers_304(client, section):
    make_article(section, "Cached story")
    first = client.get(LIST)
    by_etag = client.get(LIST, headers={"if-none-match": first["ETag"]})
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    by_date = client.get(LIST, headers={"if-modified-since": first["Last-Modified"]})
    assert by_date.status_code == 304
    stale = client.get(LIST, headers={"if-none-match": '"something-else"'})
    assert stale.status_code == 200


def test_publishing_invalidates_lists_and_details(client, section):
    article = make_article(section, "First headline")
    detail = f"/api/v2/pages/{article.pk}/"
    first_list, first_detail = client.get(LIST), client.get(detail)
    article.title = "Corrected headline"
    article.save_revision().publish()
    new_list, new_detail = client.get(LIST), client.get(detail)
    assert b"Corrected headline" in new_list.content and b"Corrected headline" in new_detail.content
    assert new_detail["ETag"] != first_detail["ETag"]
    assert client.get(detail, headers={"if-none-match": first_detail["ETag"]}).status_code == 200
    assert first_list["ETag"] != new_list["ETag"]


def test_unpublishing_invalidates_everything_that_showed_the_story(client, section):
    shown = make_article(section, "Soon withdrawn", tags=["harbour"])
    other = make_article(section, "Neighbour", tags=["harbour"])
    other_detail = f"/api/v2/pages/{other.pk}/"
    assert b"Soon withdrawn" in client.get(other_detail).content  # a related article
    assert b"Soon withdrawn" in client.get(LIST).content
    shown.unpublish()
    assert b"Soon withdrawn" not in client.get(other_detail).content
    assert b"Soon withdrawn" not in client.get(LIST).content
    assert client.get(f"/api/v2/pages/{shown.pk}/").status_code == 404


def test_deleting_a_story_invalidates_the_cache(client, section):
    article = make_article(section, "Deleted story")
    assert b"Deleted story" in client.get(LIST).content
    article.delete()
    assert b"Deleted story" not in client.get(LIST).content


def test_authenticated_reads_are_private_and_not_stored(client, section, admin_user):
    make_article(section, "Story")
    _token, key = APIToken.create_token(user=admin_user, name="front end")
    headers = {"authorization": f"Bearer {key}"}
    response = client.get("/api/v3/pages/", headers=headers)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    again = client.get("/api/v3/pages/", headers=headers)
    assert again.get("X-Cache") is None
    client.force_login(admin_user)
    assert "private" in client.get(LIST)["Cache-Control"]


def test_errors_are_not_cached(client, section):
    response = client.get("/api/v2/pages/?limit=abc")
    assert response.status_code == 400
    assert client.get("/api/v2/pages/?limit=abc").get("X-Cache") is None


def test_cors_allows_configured_front_end_origins(client, section, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://front.example.com"]
    allowed = client.get(LIST, headers={"origin": "https://front.example.com"})
    assert allowed["Access-Control-Allow-Origin"] == "https://front.example.com"
    other = client.get(LIST, headers={"origin": "https://evil.example.com"})
    assert "Access-Control-Allow-Origin" not in other
