"""Write endpoints refuse request bodies over the limit with 413 JSON, never a 500."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from news.models import ArticlePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def wire_user(settings, section):
    from wire.permissions import wire_user

    settings.NEWS_WIRE_DEFAULT_SECTION = section.slug
    return wire_user()


def oversized(settings):
    """A JSON object one kilobyte over DATA_UPLOAD_MAX_MEMORY_SIZE."""
    return json.dumps({"title": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)})


def send(client, method, url, body, headers):
    return getattr(client, method)(url, body, content_type="application/json", **headers)


def assert_too_large(response):
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 413
    assert "over the limit of 2.5" in problem["detail"]


def test_an_oversized_page_create_is_413(client, section, editor, bearer, settings):
    response = send(client, "post", "/api/v3/pages/", oversized(settings), bearer(editor))

    assert_too_large(response)
    assert not ArticlePage.objects.exists()


def test_an_oversized_page_update_is_413(client, editor, story_by, bearer, settings):
    article = story_by(editor)
    revisions = article.revisions.count()

    response = send(
        client, "patch", f"/api/v3/pages/{article.pk}/", oversized(settings), bearer(editor)
    )

    assert_too_large(response)
    assert article.revisions.count() == revisions


def test_an_oversized_wire_push_is_413(client, wire_user, bearer, settings):
    response = send(client, "post", "/api/v3/wire/ninjs/", oversized(settings), bearer(wire_user))

    assert_too_large(response)
    assert not ArticlePage.objects.exists()


def test_the_refusal_comes_before_authentication(client, settings):
    # Nothing is read or looked up for a body that will be refused anyway.
    assert_too_large(send(client, "post", "/api/v3/pages/", oversized(settings), {}))


def test_a_body_within_the_limit_is_served(client, section, editor, bearer, settings):
    title = "x" * 200
    data = {"meta": {"type": "news.ArticlePage", "parent_id": section.pk}, "title": title}

    response = send(client, "post", "/api/v3/pages/", json.dumps(data), bearer(editor))

    assert response.status_code == 201
    assert response.json()["title"] == title


@pytest.mark.parametrize("length", ["abc", "-1", "1e9"])
def test_a_malformed_content_length_is_400(client, length):
    response = client.generic(
        "POST", "/api/v3/pages/", b"{}", "application/json", CONTENT_LENGTH=length
    )

    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_v2_answers_in_its_own_json(client, settings):
    response = send(client, "post", "/api/v2/pages/", oversized(settings), {})

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "over the limit" in response.json()["message"]


def test_an_image_upload_may_be_larger_than_a_json_body(client, editor, bearer, settings):
    # A multipart upload may carry one file as large as the image limit allows.
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 64)).save(buffer, format="PNG")
    padded = buffer.getvalue() + b"\0" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    editor.is_superuser = True
    editor.save()

    response = client.post(
        "/api/v3/images/",
        {"file": SimpleUploadedFile("big.png", padded), "title": "Big"},
        **bearer(editor),
    )

    assert response.status_code == 201, response.content
    assert get_image_model().objects.get().width == 64
