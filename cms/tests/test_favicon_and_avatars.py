"""The admin and the site work offline: no Gravatar avatars, and a /favicon.ico of our own."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db


def test_favicon_is_served_on_its_well_known_path(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response["Cache-Control"].startswith("public")
    with open(finders.find("favicon.ico"), "rb") as icon:
        assert response.content == icon.read()


def test_the_favicon_is_a_real_icon_with_the_usual_sizes():
    with Image.open(finders.find("favicon.ico")) as icon:
        assert icon.format == "ICO"
        assert {(16, 16), (32, 32)} <= set(icon.info["sizes"])


def test_reader_pages_link_the_icon(client, section):
    html = client.get(section.url).content.decode()
    assert '<link rel="icon" href="/static/favicon.ico"' in html


def test_favicon_refuses_writes(client):
    assert client.post("/favicon.ico").status_code == 405


@pytest.mark.parametrize("url_name", ["wagtailadmin_home", "wagtailadmin_account"])
def test_admin_avatars_are_not_fetched_from_gravatar(client, editor, story_by, url_name):
    story_by(editor)  # so the dashboard lists a story with its author's avatar
    client.force_login(editor)

    html = client.get(reverse(url_name)).content.decode()

    assert "gravatar" not in html.lower().replace("avatar-section", "")
    assert "wagtailadmin/images/default-user-avatar.png" in html
