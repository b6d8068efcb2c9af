"""With the database down: cached pages still served, the rest 503 with Retry-After, never 500.

The PostgreSQL tests reach the shared database through a TCP proxy of their own
(cms/tests/fault_servers.py) and cut it mid-test; the database itself is never stopped.
"""

import base64
import hashlib
import re

import pytest
from django.db import OperationalError, connection
from django.test import Client

from cms.tests.fault_servers import TcpProxy
from cms.unavailable import is_database_outage
from news.models import ArticlePage
from news.tests.factories import make_article


def through_proxy(test):
    """PostgreSQL only. The test's own connection goes through the proxy, so the test
    commits; serialized_rollback puts back what the data migrations made."""
    return pytest.mark.postgres(
        pytest.mark.django_db(transaction=True, serialized_rollback=True)(test)
    )


@pytest.fixture
def database_proxy(transactional_db):
    """The test's database connection through a proxy that the test can cut and mend."""
    settings_dict = connection.settings_dict
    saved = {name: settings_dict[name] for name in ("HOST", "PORT")}
    proxy = TcpProxy(saved["HOST"] or "127.0.0.1", int(saved["PORT"] or 5432)).mend()
    connection.close()
    settings_dict.update(HOST="127.0.0.1", PORT=str(proxy.port))
    yield proxy
    proxy.cut()
    connection.close()
    settings_dict.update(saved)


def cut(proxy):
    proxy.cut()
    connection.close()


def assert_unavailable(response, content_type):
    assert response.status_code == 503, response.content
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith(content_type)
    return response


@through_proxy
def test_readers_get_the_cache_or_a_503_while_the_database_is_down(database_proxy, section):
    cached = make_article(section, "Harbour reopens")
    uncached = make_article(section, "Ferry delayed")
    reader = Client(raise_request_exception=False)
    assert reader.get(cached.url).status_code == 200

    cut(database_proxy)
    assert reader.get(cached.url).status_code == 200  # from the cache
    page = assert_unavailable(reader.get(uncached.url), "text/html")
    assert b"Back in a moment" in page.content
    assert b"Ferry delayed" not in page.content
    v2 = assert_unavailable(reader.get(f"/api/v2/pages/{uncached.pk}/"), "application/json")
    assert "database" in v2.json()["message"]
    v3 = assert_unavailable(reader.get(f"/api/v3/pages/{uncached.pk}/"), "application/problem+json")
    assert v3.json()["status"] == 503 and v3.json()["title"] == "Service Unavailable"
    ready = reader.get("/readyz")
    assert ready.status_code == 503 and ready.json()["failed"] == ["database"]
    assert reader.get("/healthz").status_code == 200

    database_proxy.mend()
    assert reader.get(uncached.url).status_code == 200
    assert reader.get(f"/api/v2/pages/{uncached.pk}/").status_code == 200
    assert reader.get("/readyz").status_code == 200


@through_proxy
def test_an_editor_saving_while_the_database_is_down_is_told_and_can_save_again(
    database_proxy, story_by, writer, article_form
):
    story = story_by(writer, title="Flood barriers fail")
    editor = Client(raise_request_exception=False)
    editor.force_login(writer)
    edit = f"/admin/pages/{story.pk}/edit/"
    data = article_form(story.title, "<p>Written during the outage.</p>", slug=story.slug)

    cut(database_proxy)
    saved = assert_unavailable(editor.post(edit, data), "text/html")
    assert b"Not saved" in saved.content
    # Wagtail 8's autosave posts for JSON: it gets JSON, shows "Autosave is paused" and
    # keeps the form as it is, to save on the next change.
    autosave = assert_unavailable(
        editor.post(edit, data, headers={"Accept": "application/json"}), "application/json"
    )
    assert autosave.json()["success"] is False

    database_proxy.mend()
    response = editor.post(edit, data, headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.json()["success"] is True
    latest = ArticlePage.objects.get(pk=story.pk).get_latest_revision_as_object()
    assert "Written during the outage." in str(latest.body)


def test_only_database_connection_failures_count_as_an_outage():
    try:
        try:
            raise OperationalError("connection refused")
        except OperationalError as error:
            raise RuntimeError("while rendering") from error
    except RuntimeError as error:
        assert is_database_outage(error)
    assert not is_database_outage(ValueError("a bug"))
    assert not is_database_outage(None)


def test_the_503_page_stands_alone_within_the_content_security_policy(settings):
    # It must render without the database, so it extends nothing; its style is 500.html's,
    # whose hash the policy allows.
    html = (settings.BASE_DIR / "templates" / "503.html").read_text()
    assert "{% extends" not in html
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]
