"""The Content-Security-Policy of reader pages: scripts and styles only from our origin, no
inline script but the JSON-LD data blocks; the Wagtail admin keeps working without it."""

import base64
import hashlib
import re

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from news.tests.factories import make_article, make_author, make_image, paragraph

pytestmark = pytest.mark.django_db

# Script types a browser executes (HTML "prepare the script element"): anything else, such
# as application/ld+json, is a data block that no CSP directive governs.
EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}


@pytest.fixture
def story(section):
    return make_article(
        section,
        "Harbour reopens",
        intro="Ships sail again.",
        authors=[make_author("Jane Doe")],
        lead_image=make_image("Harbour"),
        tags=["shipping"],
        body=[paragraph("<p>The <b>harbour</b> <a href='https://example.com/'>reopened</a>.</p>")],
    )


@pytest.fixture
def reader_urls(story, section):
    return {
        "home": "/",
        "section": section.url,
        "article": story.url,
        "search": "/search/?q=harbour",
        "404": "/no-such-page/",
    }


def policy_of(response):
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (directive.split() for directive in header.split(";") if directive)
    }


def test_reader_pages_carry_the_policy(client, reader_urls):
    for name, url in reader_urls.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "404" else 200), name

        policy = policy_of(response)

        assert policy["default-src"] == ["'self'"], name
        assert policy["script-src"] == ["'self'"], name
        assert "'unsafe-inline'" not in policy["style-src"], name
        assert policy["object-src"] == ["'none'"], name
        assert policy["base-uri"] == ["'self'"], name
        assert policy["frame-ancestors"] == ["'self'"], name


def test_reader_pages_have_no_inline_script_but_json_ld(client, reader_urls):
    json_ld_blocks = 0
    for name, url in reader_urls.items():
        soup = BeautifulSoup(client.get(url).content, "html.parser")

        for script in soup.find_all("script"):
            kind = script.get("type", "").strip().lower()
            assert kind not in EXECUTABLE_TYPES, f"{name}: executable {script}"
            assert kind == "application/ld+json", f"{name}: {script}"
            json_ld_blocks += 1
        # Nor inline event handlers or javascript: URLs, which script-src 'self' blocks too.
        for tag in soup.find_all(True):
            assert not [attribute for attribute in tag.attrs if attribute.startswith("on")], name
            assert not tag.get("href", "").lower().startswith("javascript:"), name
        assert not soup.find_all("style"), name
        assert not soup.find_all(style=True), name
    assert json_ld_blocks >= 3  # the article's NewsArticle and breadcrumbs, the section's


def test_the_error_page_style_is_allowed_by_its_hash():
    # templates/500.html stands alone (it must render when all else fails), with its own
    # style; the policy allows exactly that style, so a change to it needs a new hash.
    html = (settings.BASE_DIR / "templates" / "500.html").read_text()
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()

    assert len(styles) == 1
    assert f"'sha256-{digest}'" in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]


def test_api_and_feeds_carry_the_policy_too(client, story):
    for url in ("/api/v2/pages/", "/feeds/rss/", "/sitemap.xml"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "script-src 'self'" in response["Content-Security-Policy"], url


def test_the_admin_has_no_reader_policy_and_still_works(client, story, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@n.test", "pw")
    client.force_login(admin)

    for url in ("/admin/", f"/admin/pages/{story.pk}/edit/", "/admin/images/"):
        response = client.get(url)

        assert response.status_code == 200, url
        assert "Content-Security-Policy" not in response, url
    assert "Content-Security-Policy" not in client.get("/admin/login/")
