"""Upload limits in the Wagtail admin: oversized files, decompression bombs and files that
are not the pictures they claim to be are refused with a form error, and nothing is saved."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def png(width, height, mode="1"):
    """A PNG of one colour: tiny on disk whatever its pixel count (1-bit, so cheap to make)."""
    buffer = io.BytesIO()
    PILImage.new(mode, (width, height)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bomb():
    """20000 x 20000 = 400 megapixels in a few tens of kilobytes: past even Pillow's own limit."""
    return png(20_000, 20_000)


def over_the_pixel_limit():
    """Just past WAGTAILIMAGES_MAX_IMAGE_PIXELS, still under Pillow's own bomb limit."""
    side = int(settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS**0.5) + 1
    return png(side, side)


def over_the_size_limit(limit):
    """A real PNG padded past `limit` bytes (image readers ignore what follows IEND)."""
    data = png(100, 100, mode="RGB")
    return data + b"\0" * (limit + 1 - len(data))


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "r@n.test", "pw"))
    return client


def upload_image(client, name, content):
    return client.post(
        "/admin/images/add/",
        {
            "title": "Upload",
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile(name, content),
        },
    )


def upload_images(client, name, content):
    """The multiple-upload view behind the admin's drag-and-drop uploader."""
    return client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile(name, content)},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )


def upload_document(client, name, content, multiple=False):
    if multiple:
        return client.post(
            "/admin/documents/multiple/add/", {"files[]": SimpleUploadedFile(name, content)}
        )
    return client.post(
        "/admin/documents/add/",
        {
            "title": "Upload",
            "collection": Collection.get_first_root_node().pk,
            "file": SimpleUploadedFile(name, content),
        },
    )


def refused_in_form(response, codes=(), text=None):
    """The admin's form again, with an error of one of `codes` (or saying `text`) on its file."""
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["file"]
    assert (
        {error.code for error in errors} & set(codes)
        or text
        and any(text in message for error in errors for message in error.messages)
    ), errors


def refused_in_json(response):
    """The multiple uploader's refusal, which it shows beside the file."""
    assert response.status_code == 200
    data = response.json()
    assert data["success"] is False
    assert data["error_message"]


NOT_AN_IMAGE = {"invalid_image", "invalid_image_extension", "invalid_image_known_format"}
TOO_MANY_PIXELS = {"file_too_many_pixels"}

IMAGE_CASES = {
    "too large": (
        "large.png",
        lambda bomb: over_the_size_limit(settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE),
        {"file_too_large"},
    ),
    "too many pixels": ("wide.png", lambda bomb: over_the_pixel_limit(), TOO_MANY_PIXELS),
    "decompression bomb": ("bomb.png", lambda bomb: bomb, TOO_MANY_PIXELS),
    "svg": ("drawing.svg", lambda bomb: SVG, NOT_AN_IMAGE),
    "html": ("page.html", lambda bomb: HTML, NOT_AN_IMAGE),
    "html as png": ("page.png", lambda bomb: HTML, NOT_AN_IMAGE),
    "html as jpg": ("page.jpg", lambda bomb: HTML, NOT_AN_IMAGE),
    "svg as png": ("drawing.png", lambda bomb: SVG, NOT_AN_IMAGE),
}


@pytest.mark.parametrize("case", IMAGE_CASES)
def test_image_upload_is_refused(admin_client, bomb, case):
    name, content, codes = IMAGE_CASES[case]

    refused_in_form(upload_image(admin_client, name, content(bomb)), codes)
    refused_in_json(upload_images(admin_client, name, content(bomb)))

    assert not get_image_model().objects.exists()


def test_an_image_within_the_limits_is_saved(admin_client):
    response = upload_image(admin_client, "fine.png", png(800, 600, mode="RGB"))

    assert response.status_code == 302
    assert get_image_model().objects.get().width == 800


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", HTML),
        ("page.htm", HTML),
        ("drawing.svg", SVG),
        ("script.js", b"alert(1)"),
    ],
)
@pytest.mark.parametrize("multiple", [False, True], ids=["add", "multiple"])
def test_document_upload_of_a_web_file_is_refused(admin_client, name, content, multiple):
    # A document is served from our origin: HTML, SVG or script there could run as us.
    response = upload_document(admin_client, name, content, multiple=multiple)

    if multiple:
        refused_in_json(response)
    else:
        # Wagtail's document model refuses the extension in clean(), without an error code.
        refused_in_form(response, text="is not allowed")
    assert not get_document_model().objects.exists()


@pytest.mark.parametrize("multiple", [False, True], ids=["add", "multiple"])
def test_document_over_the_size_limit_is_refused(admin_client, multiple):
    content = b"a" * (settings.WAGTAILDOCS_MAX_UPLOAD_SIZE + 1)

    response = upload_document(admin_client, "minutes.txt", content, multiple=multiple)

    if multiple:
        refused_in_json(response)
    else:
        refused_in_form(response, {"file_too_large"})
    assert not get_document_model().objects.exists()


def test_a_document_within_the_limits_is_saved(admin_client):
    response = upload_document(admin_client, "minutes.txt", b"Agenda")

    assert response.status_code == 302
    assert get_document_model().objects.get().file.name.endswith(".txt")
