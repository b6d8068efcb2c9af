"""Project-wide pytest fixtures: real services, production settings and newsroom data."""

import importlib.util
import json
import os
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

# The browser tests' `browser` fixture (Playwright and Debian's Chromium).
pytest_plugins = ["news.tests.browser"]

# Tests marked `redis` use this Redis when REDIS_URL is unset (and skip if it does not answer).
DEFAULT_TEST_REDIS_URL = "redis://127.0.0.1:6379/0"
# Every test run writes under its own key prefix, so parallel runs sharing a Redis db never
# see each other's keys; nothing is ever flushed.
TEST_RUN_KEY_PREFIX = f"newsroom-test-{uuid.uuid4().hex[:12]}"


def redis_client(url):
    """A client for the Redis at url, or None when it does not answer."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError:
        return None
    return client


def required_redis(url):
    """(url, client) of the Redis tests run on: REDIS_URL when set, failing the test when it
    does not answer; else the default, skipping the test when that does not answer."""
    client = redis_client(url or DEFAULT_TEST_REDIS_URL)
    if client is None:
        if url:
            pytest.fail(f"REDIS_URL={url} is set but Redis does not answer", pytrace=False)
        pytest.skip(f"no Redis at {DEFAULT_TEST_REDIS_URL} (set REDIS_URL to require one)")
    return url or DEFAULT_TEST_REDIS_URL, client


@pytest.fixture(scope="session", autouse=True)
def real_services_answer():
    """With REDIS_URL set (as in CI), an unreachable Redis fails the run instead of skipping."""
    if (url := os.environ.get("REDIS_URL")) and redis_client(url) is None:
        pytest.fail(f"REDIS_URL={url} is set but Redis does not answer", pytrace=False)


@pytest.fixture
def redis_cache(settings, request):
    """Puts Django's default cache on the real Redis (REDIS_URL) for one test.

    The test's keys live under a prefix of their own and are deleted afterwards. With
    REDIS_URL set, an unreachable Redis fails the test; unset, the test is skipped.
    """
    from django.core.cache import cache

    url, client = required_redis(os.environ.get("REDIS_URL"))
    prefix = f"{TEST_RUN_KEY_PREFIX}-{uuid.uuid4().hex[:8]}"
    from cms.settings.base import redis_cache as production_cache

    # Production's backend (cms/cache_backend.py), without its once-a-second look for lost
    # writes: a query at a random moment would upset the tests that count queries.
    settings.CACHES = {
        **settings.CACHES,
        "default": {**production_cache(url, key_prefix=prefix), "POLL_SECONDS": 0},
    }
    yield cache
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


@pytest.fixture(autouse=True)
def skip_postgres_tests_elsewhere(request):
    """`@pytest.mark.postgres` tests run only when the database is PostgreSQL."""
    if request.node.get_closest_marker("postgres"):
        from django.conf import settings

        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            pytest.skip("PostgreSQL only (set DATABASE_URL=postgres://…)")


@pytest.fixture(autouse=True)
def use_redis_when_marked(request):
    """`@pytest.mark.redis` runs a test on the real Redis through the redis_cache fixture."""
    if request.node.get_closest_marker("redis"):
        request.getfixturevalue("redis_cache")


# The production settings (cms.settings.production), loaded under a given environment.
# What a minimal production deployment sets; tests add or remove what they look at.
SAMPLE_PRODUCTION_ENV = {
    "SECRET_KEY": "sample-production-key-Zq3x9V7mWb2Lk8Rt5Hn1Pc6Dy4Ju0Fs-aE7gT2",
    "ALLOWED_HOSTS": "news.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://news.example.com",
    "WAGTAILADMIN_BASE_URL": "https://news.example.com",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}
# Variables only production reads: a test's own environment (CI exports REDIS_URL) must not
# leak into the settings it checks.
PRODUCTION_ONLY_PREFIXES = ("REDIS_URL", "AWS_", "CDN_", "CLOUDFLARE_", "CLOUDFRONT_", "TASKS_")


@pytest.fixture(scope="session")
def sample_production_env():
    return dict(SAMPLE_PRODUCTION_ENV)


@pytest.fixture
def production_settings(monkeypatch):
    """load(**env): the module cms.settings.production as it loads with SAMPLE_PRODUCTION_ENV
    updated by env (a None value unsets a variable). Nothing is installed as the settings."""

    def load(**env):
        for name in list(os.environ):
            if name.startswith(PRODUCTION_ONLY_PREFIXES):
                monkeypatch.delenv(name)
        for name, value in {**SAMPLE_PRODUCTION_ENV, **env}.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        spec = importlib.util.find_spec("cms.settings.production")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load


# A stand-in for a CDN's purge endpoint (Varnish/nginx), on 127.0.0.1.


class PurgeRecorder(BaseHTTPRequestHandler):
    """Records each PURGE it receives as (Host header, path), and answers 200."""

    def do_PURGE(self):  # noqa: N802 - the HTTP method's name
        self.server.received.append((self.headers.get("Host"), self.path))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def purge_server():
    """An HTTP server on 127.0.0.1 standing in for Varnish/nginx; `.received` lists purges."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def run_commit_hooks():
    """Runs what waits for the test's transaction to commit (transaction.on_commit), once."""
    from django.db import connection

    hooks = list(connection.run_on_commit)
    connection.run_on_commit.clear()
    for _savepoints, hook, _robust in hooks:
        hook()


@pytest.fixture
def cdn(settings, purge_server):
    """Wagtail's frontend cache pointed at purge_server; returns the paths purged so far."""
    host, port = purge_server.server_address
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://{host}:{port}",
        }
    }

    def purged():
        run_commit_hooks()  # purges wait for the commit, which a test's transaction never makes
        return {path for _host, path in purge_server.received}

    return purged


@pytest.fixture
def home_page(db):
    from home.models import HomePage

    return HomePage.objects.get(depth=2)


@pytest.fixture
def section(home_page):
    from news.tests.factories import make_section

    return make_section(home_page, "World")


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: the database rolls back, so must cached responses."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    for alias in caches:
        # clear() on Redis is FLUSHDB, which would wipe other runs' keys: Redis-backed
        # tests get a fresh key prefix instead (redis_cache).
        if not isinstance(caches[alias], RedisCache):
            caches[alias].clear()
    # And the per-process memos keyed by the site version (cms/caching.py).
    from cms.caching import SITES, VIEW_RESTRICTIONS

    SITES.clear()
    VIEW_RESTRICTIONS.clear()


@pytest.fixture
def uncached(settings):
    """Turns off the server-side response cache, to measure what an uncached page costs."""
    settings.NEWS_CACHE_TIMEOUT = 0


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep uploaded and generated images out of the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# A webhook receiver on 127.0.0.1 (webhooks/), and endpoints pointed at it.


class WebhookReceiver(BaseHTTPRequestHandler):
    """Records each POST and answers with the server's next planned answer (default 204)."""

    def do_POST(self):  # noqa: N802 - the HTTP method's name
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.received.append(
            {"path": self.path, "headers": dict(self.headers), "body": body.decode()}
        )
        status, delay = self.server.answers.pop(0) if self.server.answers else (204, 0)
        if delay:
            time.sleep(delay)
        self.send_response(status)
        if status in (301, 302, 307, 308):
            self.send_header("Location", "/elsewhere")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver(settings):
    """A webhook receiver on 127.0.0.1 (allowed by NEWS_WEBHOOKS_ALLOW_PRIVATE for the test).

    `.received` lists requests; `.answers` takes (status, seconds to wait) in order.
    """
    settings.NEWS_WEBHOOKS_ALLOW_PRIVATE = True
    server = ThreadingHTTPServer(("127.0.0.1", 0), WebhookReceiver)
    server.daemon_threads = True
    server.received = []
    server.answers = []
    server.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/newsroom"
    server.payloads = lambda: [json.loads(request["body"]) for request in server.received]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def endpoint(receiver):
    """Builds an endpoint at the receiver; by default it wants every event."""
    from webhooks.models import EVENTS, WebhookEndpoint

    def make(events=tuple(EVENTS), **fields):
        return WebhookEndpoint.objects.create(
            url=receiver.url, description="Front end", events=list(events), **fields
        )

    return make


# The editorial workflow (news/editorial/): newsroom users, their stories, and how they
# reach the admin and the v3 API.


@pytest.fixture
def newsroom_user(db, django_user_model):
    """Builds a user in one of the newsroom groups made by the data migration."""
    from django.contrib.auth.models import Group

    def make(group_name, username):
        user = django_user_model.objects.create_user(
            username=username,
            email=f"{username}@newsroom.test",
            password=f"{username}-password",
            first_name=username.title(),
        )
        user.groups.add(Group.objects.get(name=group_name))
        return user

    return make


@pytest.fixture
def writer(newsroom_user):
    return newsroom_user("Writers", "wendy")


@pytest.fixture
def editor(newsroom_user):
    return newsroom_user("Editors", "eddie")


@pytest.fixture
def second_editor(newsroom_user):
    return newsroom_user("Editors", "erin")


@pytest.fixture
def story_by(section):
    """Builds a draft article whose owner and only author is the given user."""
    from news.tests.factories import make_article, paragraph

    def make(user, title="Flood barriers fail in the night", text="The river rose.", **fields):
        return make_article(
            section,
            title,
            publish=False,
            owner=user,
            by=user,
            body=[paragraph(f"<p>{text}</p>")],
            **fields,
        )

    return make


@pytest.fixture
def bearer():
    """The Authorization header of a new v3 API token for a user: client.get(url, **bearer(u))."""
    from wagtail.models import APIToken

    def make(user):
        _token, plaintext = APIToken.create_token(user=user, name="test token")
        return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}

    return make


@pytest.fixture
def article_form():
    """POST data for the article editor: article_form("Headline", "<p>Body</p>", **extra)."""
    from django.utils.text import slugify
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    def make(title, body_html="<p>The river rose.</p>", slug=None, **extra):
        return nested_form_data(
            {
                "title": title,
                "slug": slug or slugify(title),
                "intro": "",
                "dateline": "",
                "language": "en-us",
                "body": streamfield([("paragraph", rich_text(body_html))]),
                "tags": "",
                "comments": inline_formset([]),
                "article_authors": inline_formset([]),
                "related_links": inline_formset([]),
                "corrections": inline_formset([]),
                **extra,
            }
        )

    return make
