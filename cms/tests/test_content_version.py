"""Versions: the site version (bumped again on commit, the memos it keys) and per dependency."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from cms.caching import VersionedMemo, bump_content_version, content_version
from news.tests.factories import make_article

pytestmark = pytest.mark.django_db

DETAIL = "/api/v2/pages/{pk}/"


@pytest.fixture(autouse=True)
def no_response_cache(settings):
    settings.NEWS_CACHE_TIMEOUT = 0


def test_a_change_inside_a_transaction_bumps_again_when_it_commits(
    django_capture_on_commit_callbacks,
):
    # A reader between the first bump and the commit reads the old rows under the new
    # version; the second bump makes whatever it kept unreachable.
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            inside = bump_content_version()
            assert content_version() == inside
    assert content_version() > inside


def test_a_memo_holds_until_the_version_changes():
    memo, calls = VersionedMemo(), []

    def compute():
        calls.append(1)
        return len(calls)

    assert memo.get("key", compute) == memo.get("key", compute) == 1
    bump_content_version()
    assert memo.get("key", compute) == 2


def sql_of(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code in (200, 404)
    return response, " ".join(query["sql"] for query in captured)


def test_api_reads_the_site_and_view_restrictions_once_per_version(client, section):
    story = make_article(section, "Harbour reopens")
    path = DETAIL.format(pk=story.pk)
    sql_of(client, path)

    response, sql = sql_of(client, path)
    assert response.status_code == 200
    assert "wagtailcore_pageviewrestriction" not in sql
    assert "wagtailcore_site" not in sql


@pytest.fixture(params=[300, 0], ids=["shared cache", "no shared cache"])
def keep(request, settings):
    """With the keep on (a shared cache holds the versions) and off (the database does)."""
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = request.param


def test_a_new_view_restriction_hides_the_page_at_once(client, section, keep):
    story = make_article(section, "Harbour reopens")
    path = DETAIL.format(pk=story.pk)
    assert client.get(path).status_code == 200

    PageViewRestriction.objects.create(page=section, restriction_type="login")

    assert client.get(path).status_code == 404
    listing = client.get("/api/v2/pages/", {"type": "news.ArticlePage"}).json()
    assert listing["meta"]["total_count"] == 0


def test_a_site_address_change_shows_at_once(client, section, keep):
    story = make_article(section, "Harbour reopens")
    path = DETAIL.format(pk=story.pk)
    assert client.get(path).json()["meta"]["html_url"].startswith("http://localhost/")
    assert client.get(path).json()["meta"]["detail_url"].startswith("http://localhost/")

    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "news.example.com", 443
    site.save()

    assert client.get(path).json()["meta"]["html_url"].startswith("https://news.example.com/")
    assert client.get(path).json()["meta"]["detail_url"].startswith("https://news.example.com/")


LIST = "/api/v2/pages/?type=news.ArticlePage&fields=_,id"


def test_without_a_shared_cache_the_memos_follow_the_database_site_version(
    client, section, settings
):
    # No Redis: one process never sees another's bump in its own cache, so the memos of the
    # Site and the view restrictions are keyed by the version the database holds.
    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 0
    make_article(section, "Harbour reopens")
    sql_of(client, LIST)

    response, sql = sql_of(client, LIST)
    assert response.status_code == 200
    assert "wagtailcore_pageviewrestriction" not in sql
    assert '"wagtailcore_site"."hostname"' not in sql
    assert "cms_siteversion" in sql


def test_without_a_shared_cache_another_processs_site_change_shows_at_once(
    client, section, settings
):
    from django.core.cache import cache

    from cms.caching import bump_database_site_version

    settings.NEWS_FRAGMENT_CACHE_TIMEOUT = 0
    story = make_article(section, "Harbour reopens")
    path = DETAIL.format(pk=story.pk)

    def detail_url():  # from the request's Site (the memo), as the API's base URL
        return client.get(path).json()["meta"]["detail_url"]

    assert detail_url().startswith("http://localhost/")

    # Another process changes the site: its bump reaches the database, not this process's
    # cache (here: no signal, and the local cache forgotten).
    Site.objects.filter(is_default_site=True).update(hostname="news.example.com", port=443)
    cache.clear()
    assert detail_url().startswith("http://localhost/")  # the memo holds…

    bump_database_site_version()
    assert detail_url().startswith("https://news.example.com/")  # …until the version moves


# Versions per dependency (cms/caching.py): what was built before a change is never served
# after it.


def test_a_fragment_built_before_a_change_is_not_served_after_it():
    import time

    from cms.caching import bump, keep_many, kept_many, versions

    versions(["site", "tag:1", "tag:2"])  # all known, older than what follows
    began = time.time_ns()
    keep_many({"a": ("shows tag 1", ["tag:1"]), "b": ("shows tag 2", ["tag:2"])}, 60, as_of=began)
    assert set(kept_many(["a", "b"])) == {"a", "b"}
    bump(["tag:1"])
    assert set(kept_many(["a", "b"])) == {"b"}


def test_a_forgotten_version_counts_as_a_change():
    import time

    from django.core.cache import cache

    from cms.caching import VERSION_KEY, keep_many, kept_many, versions

    versions(["site", "author:7"])
    keep_many({"a": ("a byline", ["author:7"])}, 60, as_of=time.time_ns())
    cache.delete(VERSION_KEY.format(name="author:7"))  # evicted, say
    assert kept_many(["a"]) == {}


def test_a_response_whose_view_answers_for_nothing_depends_on_any_change():
    from cms.caching import ANY, COMPLETE, SITE, AnonymousCacheMiddleware

    assert AnonymousCacheMiddleware.dependencies({"image:3"}) == {SITE, ANY}
    assert AnonymousCacheMiddleware.dependencies({COMPLETE, "page:4"}) == {SITE, "page:4"}
