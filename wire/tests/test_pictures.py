"""The lead picture: fetched with limits, stored once, and never in the way of the story."""

import pytest
from PIL import Image

from news.models import ArticlePage
from wire.pictures import PictureError, fetch, image_extension

from .factories import jpeg_bytes, ninjs_story


def with_picture(href, **picture):
    return ninjs_story(
        associations=[
            {
                "name": "mainpic",
                "uri": "urn:agency:picture:1",
                "type": "picture",
                "by": "Cy Photographer / AFP",
                "descriptions": [{"role": "caption", "value": "The dam at dawn."}],
                "renditions": [{"name": "baseImage", "href": href, "contenttype": "image/jpeg"}],
                **picture,
            }
        ]
    )


def ingest(desk, item):
    [result] = desk.ingest(item)
    return result, ArticlePage.objects.get(pk=result.article_id)


def test_the_picture_association_becomes_the_lead_image(desk, picture_server):
    picture_server.files["/dam.jpg"] = jpeg_bytes()
    result, article = ingest(desk, with_picture(f"{picture_server.url}/dam.jpg"))

    assert result.warnings == []
    assert (article.lead_image.width, article.lead_image.height) == (64, 48)
    assert article.lead_image_caption == "The dam at dawn."
    assert article.lead_image_credit == "Cy Photographer / AFP"


def test_the_same_picture_is_stored_once(desk, picture_server):
    picture_server.files["/dam.jpg"] = jpeg_bytes()
    _, first = ingest(desk, with_picture(f"{picture_server.url}/dam.jpg"))
    _, second = ingest(desk, {**with_picture(f"{picture_server.url}/dam.jpg"), "uri": "urn:b"})

    assert first.lead_image_id == second.lead_image_id


@pytest.mark.parametrize(
    ("path", "content", "reason"),
    [
        ("/missing.jpg", None, "Not Found"),
        ("/page.jpg", b"<html>not a picture</html>", "not a picture"),
        ("/huge.jpg", b"x" * 2048, "larger than 1024 bytes"),
        ("/slow.jpg", jpeg_bytes(), "timed out"),
    ],
)
def test_when_the_picture_cannot_be_had_the_story_arrives_with_a_warning(
    desk, picture_server, settings, path, content, reason
):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    settings.NEWS_WIRE_PICTURE_TIMEOUT = 1
    if content is not None:
        picture_server.files[path] = content

    result, article = ingest(desk, with_picture(f"{picture_server.url}{path}"))

    assert article.lead_image is None
    assert article.editorial_status == "in_review"
    [warning] = result.warnings
    assert reason in warning
    assert article.wire_warnings == [{"version": "1", "message": warning}]


def test_pictures_from_hosts_not_allowed_are_not_fetched(desk):
    result, article = ingest(desk, with_picture("https://photos.example.com/dam.jpg"))
    assert article.lead_image is None
    assert "not among the picture hosts allowed" in result.warnings[0]


def test_too_many_pixels_is_refused_before_decoding(settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 100
    with pytest.raises(PictureError, match="more than 100 allowed"):
        image_extension(jpeg_bytes(64, 48))


def test_a_decompression_bomb_is_refused(settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 10**12
    limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = 1000  # Pillow's own guard: an error past twice this
    try:
        with pytest.raises(PictureError, match="too many pixels"):
            image_extension(jpeg_bytes(64, 48))
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def test_formats_not_allowed_are_refused(settings):
    settings.WAGTAILIMAGES_EXTENSIONS = ["png"]
    with pytest.raises(PictureError, match="JPEG pictures are not accepted"):
        image_extension(jpeg_bytes())


def test_local_files_are_read_only_when_allowed(tmp_path):
    path = tmp_path / "dam.jpg"
    path.write_bytes(jpeg_bytes())

    assert fetch(path.as_uri(), allow_local=True) == path.read_bytes()
    assert fetch("dam.jpg", base_dir=tmp_path, allow_local=True) == path.read_bytes()
    with pytest.raises(PictureError, match="read only by the ingest_wire command"):
        fetch(path.as_uri())
    with pytest.raises(PictureError, match="HTTP"):
        fetch("ftp://127.0.0.1/dam.jpg")
