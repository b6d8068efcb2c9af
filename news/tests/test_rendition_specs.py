"""Renditions come only from our named sizes (news/renditions.py): no route renders a
filter spec a visitor or editor chooses."""

import re

import pytest
from django.urls import (
    NoReverseMatch,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)
from wagtail.images import get_image_model

from news import renditions
from news.renditions import RENDITIONS, rendition_specs, renditions_of
from news.tests.factories import make_article, make_image

pytestmark = pytest.mark.django_db

SPEC_WORDS = re.compile(r"filter|spec|rendition", re.I)


def routes(resolver=None, prefix=""):
    """Every URL pattern as (its full pattern text, its view), walking includes."""
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from routes(entry, pattern)
        elif isinstance(entry, URLPattern):
            yield pattern, entry.callback


def test_wagtails_dynamic_serve_view_is_not_mounted():
    with pytest.raises(NoReverseMatch):
        reverse("wagtailimages_serve", args=("signature", 1, "width-100"))
    assert not [
        pattern
        for pattern, view in routes()
        if getattr(view, "__module__", "").startswith("wagtail.images.views.serve")
    ]


def test_only_the_named_preview_route_takes_a_filter_spec():
    taking_a_spec = {pattern for pattern, _view in routes() if SPEC_WORDS.search(pattern)}

    # Ours comes first, so Wagtail's own preview (the same pattern) is never reached.
    assert taking_a_spec == {"admin/images/<int:image_id>/preview/<str:filter_spec>/"}
    assert resolve("/admin/images/1/preview/width-4000/").func is renditions.preview


@pytest.fixture
def editor_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "r@n.test", "pw"))
    return client


@pytest.mark.parametrize(
    "spec", ["width-4000", "fill-3000x3000", "max-10x10|format-webp", "original", "bogus"]
)
def test_the_admin_preview_refuses_any_other_spec(editor_client, spec):
    image = make_image()

    response = editor_client.get(f"/admin/images/{image.pk}/preview/{spec}/")

    assert response.status_code == 404
    assert not image.renditions.exists()


def test_the_admin_preview_renders_a_named_size(editor_client):
    image = make_image(width=1200, height=800)

    response = editor_client.get(f"/admin/images/{image.pk}/preview/{RENDITIONS['small']}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


def test_the_admin_preview_still_checks_permission(client, django_user_model):
    image = make_image()
    nobody = django_user_model.objects.create_user("nobody", "n@n.test", "pw")
    client.force_login(nobody)

    response = client.get(f"/admin/images/{image.pk}/preview/{RENDITIONS['small']}/")

    assert response.status_code in (302, 403)


def test_reader_pages_and_the_apis_make_only_named_renditions(client, section):
    picture = make_image("Harbour")
    story = make_article(
        section,
        "Harbour reopens",
        lead_image=picture,
        body=[("image", {"image": picture, "caption": "Boats", "credit": "", "alt": "Boats"})],
    )

    for url in (
        "/",
        section.url,
        story.url,
        "/search/?q=harbour",
        f"/api/v2/pages/{story.pk}/",
        "/api/v2/pages/?type=news.ArticlePage&fields=*",
        f"/api/v2/images/{picture.pk}/",
        f"/api/v3/pages/{story.pk}/",
        f"/api/v3/images/{picture.pk}/",
        "/feeds/rss/",
    ):
        assert client.get(url).status_code == 200, url

    specs = set(
        get_image_model().get_rendition_model().objects.values_list("filter_spec", flat=True)
    )
    assert specs
    assert specs <= set(rendition_specs())


def test_every_size_is_made_in_avif_and_webp_beside_its_own_format():
    assert rendition_specs("small") == [
        "width-480",
        "width-480|format-avif",
        "width-480|format-webp",
    ]
    picture = make_image("Harbour")
    renditions = renditions_of(picture, "small")["small"]
    # Pillow encodes AVIF itself: the file is really AVIF, not a JPEG under another name.
    assert renditions["avif"].file.name.endswith(".avif")
    with renditions["avif"].file.open() as file:
        assert file.read(12)[4:12] == b"ftypavif"
    with renditions["webp"].file.open() as file:
        header = file.read(12)
    assert header[:4] == b"RIFF" and header[8:12] == b"WEBP"
    assert renditions[None].file.name.endswith(".jpg")
    assert {(r.width, r.height) for r in renditions.values()} == {(480, 320)}
