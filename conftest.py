"""Project-wide pytest fixtures: the default site's home page and a section to put stories in."""

import pytest


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
