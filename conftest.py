"""Project-wide pytest fixtures: the default site's home page and a section to put stories in."""

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def real_services_answer():
    """With REDIS_URL set (as in CI), an unreachable Redis fails the run instead of skipping."""
    if url := os.environ.get("REDIS_URL"):
        import redis

        try:
            redis.Redis.from_url(url, socket_connect_timeout=3).ping()
        except redis.RedisError as error:
            pytest.fail(f"REDIS_URL={url} is set but Redis does not answer: {error}", pytrace=False)


@pytest.fixture
def home_page(db):
    from home.models import HomePage

    return HomePage.objects.get(depth=2)


@pytest.fixture
def section(home_page):
    from news.tests.factories import make_section

    return make_section(home_page, "World")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep uploaded and generated images out of the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
