"""Production on one machine serves pictures from MEDIA_ROOT itself (cms/media.py), and
nothing else from there: documents go out only through Wagtail's permission-checked view."""

import pytest
from bs4 import BeautifulSoup

from news.tests.factories import make_article, make_image

pytestmark = pytest.mark.django_db


def test_production_serves_media_without_a_bucket(production_settings):
    assert production_settings(AWS_STORAGE_BUCKET_NAME=None).NEWS_SERVE_MEDIA is True


def test_production_leaves_media_to_the_bucket_or_a_proxy(production_settings):
    assert production_settings(AWS_STORAGE_BUCKET_NAME="pictures").NEWS_SERVE_MEDIA is False
    assert production_settings(NEWS_SERVE_MEDIA="false").NEWS_SERVE_MEDIA is False


@pytest.fixture
def serving(settings):
    settings.NEWS_SERVE_MEDIA = True
    return settings


def test_every_picture_of_an_article_page_is_served(client, serving, section):
    story = make_article(section, "Harbour", lead_image=make_image("Harbour"))
    html = BeautifulSoup(client.get(story.url).content, "html.parser")
    urls = {html.select_one("picture img")["src"]}
    for source in html.select("picture source"):
        urls |= {part.split()[0] for part in source["srcset"].split(", ")}
    assert len(urls) == 7  # the JPEG, and three widths in AVIF and in WebP
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("image/")
        assert "max-age=2592000" in response["Cache-Control"]
        assert "public" in response["Cache-Control"]


def test_an_unchanged_picture_answers_304(client, serving, section):
    picture = make_image("Harbour")
    url = picture.get_rendition("width-480").url
    modified = client.get(url)["Last-Modified"]
    assert client.get(url, headers={"if-modified-since": modified}).status_code == 304


def test_documents_and_anything_outside_the_picture_folders_are_not_served(
    client, serving, media_root
):
    (media_root / "documents").mkdir(parents=True)
    (media_root / "documents" / "private.pdf").write_bytes(b"%PDF secret")
    (media_root / "images").mkdir(parents=True, exist_ok=True)
    for path in (
        "/media/documents/private.pdf",
        "/media/images/../documents/private.pdf",
        "/media/images/%2e%2e/documents/private.pdf",
        "/media/images/",
        "/media/wagtail_uploads/x.jpg",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert b"secret" not in response.content


def test_media_is_not_served_when_turned_off(client, settings, section):
    settings.NEWS_SERVE_MEDIA = False
    url = make_image("Harbour").get_rendition("width-480").url
    assert client.get(url).status_code == 404


def test_media_answers_only_reads(client, serving):
    url = make_image("Harbour").get_rendition("width-480").url
    assert client.post(url).status_code == 405
