"""A Redis that stops or hangs never fails a reader, an editor or a probe, and leaves nothing stale.

Each test runs its own redis-server on a free port (cms/tests/fault_servers.py) with
production's cache settings, and stops (SIGTERM) or freezes (SIGSTOP) it mid-test.
"""

import logging
import time

import pytest
import redis
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from cms import cache_backend, outage_keep
from cms.cache_outage import handler
from cms.models import LostCacheWrite
from cms.settings.base import redis_cache
from cms.tests.fault_servers import RedisServer
from news.tests.factories import make_article, make_section, paragraph

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not RedisServer.available(), reason="needs redis-server"),
]

BREAKER_SECONDS = 1.0
PING_SECONDS = 0.2
READ_TIMEOUT = 0.25
POLL_SECONDS = 0.2


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def own_cache(settings, redis_server):
    """Production's cache and sessions, on the test's own redis-server."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            **redis_cache(redis_server.url),
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": READ_TIMEOUT},
            "BREAKER_SECONDS": BREAKER_SECONDS,
            "PING_SECONDS": PING_SECONDS,
            "POLL_SECONDS": POLL_SECONDS,
        },
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    forget_outages()
    yield cache
    forget_outages()


def forget_outages():
    """This process as a new one would be: no breaker state, nothing remembered."""
    cache_backend.BREAKERS.clear()
    outage_keep.KEEP.clear()
    handler.unreplayed.clear()
    handler.next_poll = 0.0
    handler.database_rests_until = 0.0


@pytest.fixture
def story(section):
    return make_article(section, "Harbour reopens", tags=["harbour"])


def reader_paths(story):
    return [
        "/",
        "/world/",
        story.url,
        "/feeds/rss/",
        "/sitemap.xml",
        "/search/?q=harbour",
        "/api/v2/pages/?type=news.ArticlePage",
        f"/api/v2/pages/{story.pk}/",
        f"/api/v3/pages/{story.pk}/",
    ]


def test_every_cache_operation_is_a_miss_or_a_no_op_while_redis_is_stopped(own_cache, redis_server):
    own_cache.set("kept", 1)
    redis_server.stop()
    assert own_cache.get("kept", "default") == "default"
    assert own_cache.get_many(["kept", "other"]) == {}
    assert own_cache.add("new", 1) is False
    assert own_cache.set("kept", 2) is None
    assert own_cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert own_cache.delete("kept") is False
    assert own_cache.delete_many(["a", "b"]) is None
    assert own_cache.has_key("kept") is False
    assert own_cache.touch("kept") is False
    assert own_cache.get_or_set("computed", lambda: 42) == 42
    with pytest.raises(ValueError):
        own_cache.incr("counter")


def test_each_process_keeps_the_site_root_paths_while_redis_is_away(
    own_cache, redis_server, home_page
):
    # Every request reads them; a process without a shared cache keeps them in local memory,
    # so an outage must not make each request query them again.
    redis_server.stop()
    Site.get_site_root_paths()  # meets the outage, reads the database
    with CaptureQueriesContext(connection) as queries:
        paths = Site.get_site_root_paths()
    assert len(queries) == 0
    assert [path.root_path for path in paths] == [home_page.url_path]

    # A change in this process drops its copy (Wagtail deletes the key) ...
    site = Site.objects.get()
    site.hostname = "news.example"
    site.save()
    assert Site.get_site_root_paths()[0].root_url == "http://news.example"
    # ... and another process's copy lasts one breaker interval at most.
    time.sleep(BREAKER_SECONDS)
    with CaptureQueriesContext(connection) as queries:
        Site.get_site_root_paths()
    assert len(queries) == 1


def test_memos_follow_the_databases_site_version_while_redis_is_away(own_cache, redis_server):
    # With Redis away every version it holds reads as "changed now": a memo keyed by them
    # would compute on every request, where a process without a shared cache keeps it.
    from cms.caching import VersionedMemo, bump_content_version

    memo, calls = VersionedMemo(), []

    def compute():
        calls.append(1)
        return len(calls)

    redis_server.stop()
    own_cache.get("anything")  # meets the outage: the breaker opens
    assert memo.get("site", compute) == memo.get("site", compute) == 1
    bump_content_version()  # a site-wide change during the outage reaches the memo
    assert memo.get("site", compute) == 2


def test_readers_and_front_ends_are_served_while_redis_is_stopped(
    client, own_cache, redis_server, story
):
    paths = reader_paths(story)
    for path in paths:
        assert client.get(path).status_code == 200, path

    redis_server.stop()
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"arbour" in response.content, path

    redis_server.start()
    time.sleep(BREAKER_SECONDS)
    for path in paths:
        assert client.get(path).status_code == 200, path
    assert client.get(story.url)["X-Cache"] == "hit"


def test_a_hung_redis_costs_a_reader_one_timeout_per_outage(
    client, own_cache, redis_server, story, caplog
):
    # robots.txt goes through the response cache and costs next to nothing to render, so
    # its time is the time spent waiting for Redis.
    path = "/robots.txt"
    assert client.get(path).status_code == 200
    redis_server.freeze()
    durations = []
    began = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="cms.cache_backend"):
        while time.monotonic() - began < 3 * BREAKER_SECONDS:
            started = time.monotonic()
            response = client.get(path)
            durations.append(time.monotonic() - started)
            assert response.status_code == 200
            time.sleep(0.05)
        elapsed = time.monotonic() - began
        redis_server.thaw()
    # The request that met the outage waited one timeout; every later one went straight to
    # the database while the breaker's own thread kept pinging, every ping interval (each
    # ping of a hung Redis waits out its own timeout, in that thread).
    assert durations[0] >= READ_TIMEOUT
    assert max(durations[1:]) < READ_TIMEOUT, durations
    pings = own_cache.breaker.failures
    assert 4 <= pings <= 1 + elapsed // PING_SECONDS
    # The outage is logged at most once per breaker interval, not per ping or request.
    outage_logs = [r for r in caplog.records if "unavailable" in r.getMessage()]
    assert 2 <= len(outage_logs) <= 1 + elapsed // BREAKER_SECONDS
    assert len(outage_logs) < pings < len(durations)


def test_the_cache_is_used_again_within_a_ping_interval_of_redis_returning(
    client, own_cache, redis_server, story
):
    client.get(story.url)
    redis_server.stop()
    client.get(story.url)  # meets the outage: the breaker opens
    breaker = own_cache.breaker
    failures = breaker.failures
    deadline = time.monotonic() + 3 * BREAKER_SECONDS
    while breaker.failures == failures and time.monotonic() < deadline:
        time.sleep(0.01)
    assert breaker.failures > failures  # a ping has just failed: the next is due after one
    redis_server.start()  # ping interval, not one (much longer) logging interval
    returned = time.monotonic()
    while not breaker.answered and time.monotonic() - returned < 3 * BREAKER_SECONDS:
        time.sleep(0.01)
    assert breaker.answered
    assert time.monotonic() - returned < (PING_SECONDS + BREAKER_SECONDS) / 2
    client.get(story.url)
    assert not breaker.is_open


def test_once_redis_answers_the_breaker_ping_the_next_request_recovers_and_the_cache_serves(
    client, own_cache, redis_server, story
):
    client.get(story.url)
    redis_server.freeze()
    client.get(story.url)
    redis_server.thaw()
    assert own_cache.breaker.is_open
    deadline = time.monotonic() + 3 * BREAKER_SECONDS
    while not own_cache.breaker.answered and time.monotonic() < deadline:
        time.sleep(0.05)
    assert own_cache.breaker.answered and own_cache.breaker.is_open  # nobody asked yet
    client.get(story.url)  # recovers: replays what was lost, then reads the cache
    assert not own_cache.breaker.is_open
    client.get(story.url)  # stores afresh (the outage lost the write of the first)
    assert client.get(story.url)["X-Cache"] == "hit"


@pytest.mark.parametrize("outage", ["frozen", "stopped"])
@pytest.mark.parametrize("same_process", [True, False], ids=["same-process", "other-process"])
def test_a_story_changed_during_an_outage_is_not_served_in_its_old_state_afterwards(
    client, own_cache, redis_server, section, outage, same_process
):
    changed = make_article(
        section, "Council meets", tags=["council"], body=[paragraph("<p>Members vote.</p>")]
    )
    withdrawn = make_article(section, "Bridge closes", tags=["council"])
    listing = "/api/v2/pages/?type=news.ArticlePage"
    paths = [changed.url, withdrawn.url, listing, f"/api/v2/pages/{changed.pk}/"]
    for path in paths * 2:
        client.get(path)
    assert client.get(changed.url)["X-Cache"] == "hit"

    if outage == "frozen":
        redis_server.freeze()
    else:
        redis_server.stop()
    changed.title = "Council resigns"
    changed.save_revision().publish()
    withdrawn.unpublish()
    # Meanwhile readers get the database's truth.
    assert b"Council resigns" in client.get(changed.url).content
    assert client.get(withdrawn.url).status_code in (404, 410)
    # The lost version bump is on record, for any process to replay.
    assert LostCacheWrite.objects.exists()

    if outage == "frozen":
        redis_server.thaw()
    else:
        redis_server.start()
    if not same_process:
        # A process that saw no outage: only the database tells it what was lost.
        forget_outages()
    time.sleep(BREAKER_SECONDS)

    page = client.get(changed.url)
    assert page.status_code == 200
    assert b"Council resigns" in page.content
    assert b"Council meets" not in page.content
    assert client.get(withdrawn.url).status_code in (404, 410)
    titles = [item["title"] for item in client.get(listing).json()["items"]]
    assert titles == ["Council resigns"]
    assert client.get(f"/api/v2/pages/{changed.pk}/").json()["title"] == "Council resigns"
    assert not LostCacheWrite.objects.exists()


def test_a_redis_that_thaws_keeps_serving_what_it_held(
    client, own_cache, redis_server, home_page, section
):
    # A hung Redis comes back with its data, which the outage did not make wrong: only the
    # lost writes are replayed, so what the change did not touch is served warm at once.
    untouched = make_article(make_section(home_page, "Weather"), "Tide tables printed")
    changed = make_article(section, "Ferry timetable")
    for path in [untouched.url, changed.url] * 2:
        client.get(path)
    assert client.get(untouched.url)["X-Cache"] == "hit"

    redis_server.freeze()
    changed.title = "Ferry timetable changes"
    changed.save_revision().publish()
    assert b"Tide tables printed" in client.get(untouched.url).content
    redis_server.thaw()
    time.sleep(BREAKER_SECONDS)

    client.get("/robots.txt")  # the probe: replays the lost bumps
    assert client.get(untouched.url)["X-Cache"] == "hit"
    page = client.get(changed.url)
    assert page.get("X-Cache") != "hit"
    assert b"Ferry timetable changes" in page.content


def snapshot(url):
    """Every key of a Redis with its value and time to live, as a snapshot on disk holds them."""
    server = redis.Redis.from_url(url)
    return [(key, server.dump(key), max(server.pttl(key), 0)) for key in server.keys("*")]


def restore(url, keys):
    server = redis.Redis.from_url(url)
    for key, value, ttl in keys:
        server.restore(key, ttl, value, replace=True)


@pytest.mark.parametrize("same_process", [True, False], ids=["same-process", "other-process"])
def test_a_redis_restored_from_an_older_snapshot_serves_nothing_from_before(
    client, own_cache, redis_server, section, same_process
):
    story = make_article(section, "Lighthouse keeper retires")
    api = f"/api/v2/pages/{story.pk}/"
    for path in [story.url, api] * 2:
        client.get(path)
    assert client.get(story.url)["X-Cache"] == "hit"
    saved = snapshot(redis_server.url)

    # Written while Redis answered, so nothing records it as lost ...
    story.title = "Lighthouse keeper stays on"
    story.save_revision().publish()
    assert b"stays on" in client.get(story.url).content
    # ... and the snapshot Redis restarts from predates it.
    redis_server.stop()
    redis_server.start()
    restore(redis_server.url, saved)
    if not same_process:
        forget_outages()  # e.g. a worker started after the restore
    time.sleep(BREAKER_SECONDS)

    client.get("/robots.txt")  # the probe, or the first look of a new process
    assert b"stays on" in client.get(story.url).content
    assert client.get(api).json()["title"] == "Lighthouse keeper stays on"


def test_a_restarted_redis_leaves_what_the_database_stores_alone(
    client, own_cache, redis_server, section
):
    # Stale all a new Redis holds, but the stored representation parts and the memos' site
    # version live in the database, which did not restart: recomputing every part of every
    # story (as a site-wide change does) would cost minutes of a worker for nothing.
    from cms.caching import database_site_version
    from news.api.stored import store_all_representations
    from news.models import StoredRepresentation

    story = make_article(section, "Ferry timetable changes")
    store_all_representations()
    stored = set(StoredRepresentation.objects.values_list("key", flat=True))
    assert stored
    site_version = database_site_version()
    client.get(story.url)
    assert client.get(story.url)["X-Cache"] == "hit"

    redis_server.stop()
    redis_server.start()  # empty: another lifetime
    time.sleep(BREAKER_SECONDS)
    client.get("/robots.txt")  # recovers: stales what Redis holds
    assert client.get(story.url).headers.get("X-Cache") != "hit"
    assert set(StoredRepresentation.objects.values_list("key", flat=True)) == stored
    assert database_site_version() == site_version


def test_a_restarted_redis_serves_each_page_from_the_cache_after_building_it_once(
    client, own_cache, redis_server, section
):
    # A reader who finds a version missing sets it to a moment after its own start, so what it
    # built cannot be kept; the recovery gives every name a version first (seed_every_version),
    # so the first reader's page is the one kept, and an empty Redis warms in one pass.
    story = make_article(section, "Night ferry returns", tags=["ferries"])
    paths = [story.url, f"/api/v2/pages/{story.pk}/", f"/api/v3/pages/{story.pk}/", "/world/"]
    redis_server.stop()
    redis_server.start()  # empty: another lifetime
    time.sleep(BREAKER_SECONDS)
    client.get("/robots.txt")  # recovers

    for path in paths:
        assert client.get(path).headers.get("X-Cache") != "hit"
    for path in paths:
        assert client.get(path).headers.get("X-Cache") == "hit", path


def test_seeding_versions_never_undoes_a_change(own_cache, section):
    from cms.caching import bump, seed_versions, versions
    from news.dependencies import every_name, page_key

    story = make_article(section, "Bridge repairs finish early")
    own_cache.clear()  # as a Redis restarted empty
    names = set(every_name())
    assert {page_key(story.pk), f"section:{section.pk}", "site", "stories"} <= names
    changed = bump([page_key(story.pk)])[page_key(story.pk)]
    seeded = seed_versions(names)

    assert versions([page_key(story.pk)]) == {page_key(story.pk): changed}
    assert seeded == len(names - {page_key(story.pk)})  # every other name had no version yet
    assert seed_versions(names) == 0


def test_editors_stay_signed_in_when_redis_restarts_or_is_down(own_cache, redis_server, editor):
    client = Client()
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200

    redis_server.stop()
    assert client.get("/admin/").status_code == 200  # the admin works, from the database
    redis_server.start()
    time.sleep(BREAKER_SECONDS)
    assert client.get("/admin/").status_code == 200

    redis_server.freeze()
    started = time.monotonic()
    assert client.get("/admin/").status_code == 200
    assert time.monotonic() - started < 2
    redis_server.thaw()


def test_a_sign_out_while_redis_was_frozen_is_not_undone_when_it_thaws(
    own_cache, redis_server, editor
):
    client = Client()
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    cookie = client.cookies["sessionid"].value  # its session is now in Redis too

    redis_server.freeze()
    assert client.post("/admin/logout/").status_code == 302
    redis_server.thaw()
    forget_outages()  # a process that saw no outage; Redis still holds the session
    time.sleep(POLL_SECONDS)

    client.cookies["sessionid"] = cookie
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("fault", ["stop", "freeze"])
def test_readyz_keeps_the_instance_in_rotation_without_redis(
    client, own_cache, redis_server, fault
):
    assert client.get("/readyz").json()["status"] == "ok"
    getattr(redis_server, fault)()
    response = client.get("/readyz")
    redis_server.thaw()
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "degraded"}


def test_production_puts_redis_behind_the_breaker_and_sessions_in_the_database(
    production_settings,
):
    production = production_settings(
        NEWS_CACHE_READ_TIMEOUT="0.2",
        NEWS_CACHE_BREAKER_SECONDS="3",
        NEWS_CACHE_PING_SECONDS="0.5",
    )
    default = production.CACHES["default"]
    assert default["BACKEND"] == "cms.cache_backend.ResilientRedisCache"
    assert default["OPTIONS"] == {"socket_connect_timeout": 0.1, "socket_timeout": 0.2}
    assert default["BREAKER_SECONDS"] == 3
    assert default["PING_SECONDS"] == 0.5
    assert production.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    # Without Redis: the database's sessions, and no shared cache to keep responses in.
    without = production_settings(REDIS_URL=None)
    assert not hasattr(without, "SESSION_ENGINE")  # Django's default: the database
    assert without.NEWS_CACHE_TIMEOUT == 0
