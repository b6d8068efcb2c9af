"""Production gzips reader pages, the API and feeds when gunicorn answers directly, and
never the admin (BREACH: cms/compression.py)."""

import gzip

import pytest

from news.tests.factories import make_article, make_image

pytestmark = pytest.mark.django_db

MIDDLEWARE = "cms.compression.CompressionMiddleware"


def test_production_compresses_after_whitenoise(production_settings):
    middleware = production_settings().MIDDLEWARE
    assert middleware.index(MIDDLEWARE) == (
        middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1
    )


@pytest.fixture
def compressing(settings):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:2],  # health checks and SecurityMiddleware, as in production
        MIDDLEWARE,
        *settings.MIDDLEWARE[2:],
    ]
    return settings


def get_gzip(client, url):
    return client.get(url, headers={"accept-encoding": "gzip, br"})


def test_reader_pages_api_and_feeds_are_gzipped(client, compressing, section):
    story = make_article(section, "Harbour reopens", intro="Ships sail again. " * 20)
    for url in (story.url, section.url, "/", f"/api/v2/pages/{story.pk}/", "/feeds/rss/"):
        response = get_gzip(client, url)
        assert response.status_code == 200, url
        assert response["Content-Encoding"] == "gzip", url
        assert "Accept-Encoding" in response["Vary"], url
        plain = client.get(url)
        assert gzip.decompress(response.content) == plain.content, url


def test_the_admin_is_never_gzipped(client, compressing):
    response = get_gzip(client, "/admin/login/")
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert not response.has_header("Content-Encoding")


def test_pictures_are_not_gzipped_again(client, compressing):
    compressing.NEWS_SERVE_MEDIA = True
    url = make_image("Harbour").get_rendition("width-480").url
    response = get_gzip(client, url)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
