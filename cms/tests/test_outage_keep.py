# ruff: noqa: F811 - the imported fixtures, as pytest passes them to the tests
"""While Redis is away each process keeps the responses it builds (cms/outage_keep.py): served
again at the cost of one query, never once something they show has changed."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms import outage_keep
from cms.models import VersionChange
from cms.tests.fault_servers import RedisServer
from cms.tests.test_cache_outage import BREAKER_SECONDS, own_cache, redis_server  # noqa: F401
from news.dependencies import page_key
from news.tests.factories import make_article, make_author, paragraph

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not RedisServer.available(), reason="needs redis-server"),
]


@pytest.fixture
def story(section):
    return make_article(
        section,
        "Harbour reopens",
        authors=[make_author("Ada Quill")],
        body=[paragraph("<p>Cranes swung back into work.</p>")],
    )


def read(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return response, len(queries)


def paths_of(story):
    return [story.url, f"/api/v2/pages/{story.pk}/", f"/api/v3/pages/{story.pk}/", "/world/"]


@pytest.mark.parametrize("fault", ["stopped", "frozen"])
def test_a_response_built_during_an_outage_is_served_again_for_one_query(
    client, own_cache, redis_server, story, fault
):
    redis_server.stop() if fault == "stopped" else redis_server.freeze()
    for path in paths_of(story):
        built, building = read(client, path)
        kept, keeping = read(client, path)
        assert kept.content == built.content, path
        assert kept["X-Cache"] == "hit", path
        assert keeping == 1, path  # the log of version changes, nothing else
        assert building > keeping, path
    if fault == "frozen":
        redis_server.thaw()


def test_a_publish_during_the_outage_is_never_served_in_its_old_state(
    client, own_cache, redis_server, story
):
    redis_server.stop()
    for path in paths_of(story) * 2:
        client.get(path)
    assert client.get(story.url)["X-Cache"] == "hit"

    story.title = "Harbour stays shut"
    story.save_revision().publish()
    for path in paths_of(story):
        text = client.get(path).content.decode()
        assert "Harbour stays shut" in text, path
        assert "Harbour reopens" not in text, path


def test_a_change_another_process_logged_makes_the_kept_response_stale(
    client, own_cache, redis_server, story
):
    """The keep trusts the database's log alone: a bump from a process that still reached
    Redis (a partition) is there too, whatever Redis made of it."""
    redis_server.stop()
    for _ in range(2):
        client.get(story.url)
    assert client.get(story.url)["X-Cache"] == "hit"
    VersionChange.objects.create(name=page_key(story.pk), version=time.time_ns())
    assert client.get(story.url).get("X-Cache") != "hit"


def test_an_author_rename_during_the_outage_reaches_the_kept_page(
    client, own_cache, redis_server, story
):
    redis_server.stop()
    for _ in range(2):
        client.get(story.url)
    author = story.authors[0]
    author.name = "Ada Quillon"
    author.save()
    assert "Ada Quillon" in client.get(story.url).content.decode()


def test_nothing_is_kept_for_signed_in_editors_or_past_its_age(
    client, own_cache, redis_server, story, admin_user, settings
):
    redis_server.stop()
    client.get(story.url)
    client.get(story.url)
    assert client.get(story.url)["X-Cache"] == "hit"
    settings.NEWS_OUTAGE_KEEP_SECONDS = 1
    time.sleep(1.1)
    assert client.get(story.url).get("X-Cache") != "hit"

    client.force_login(admin_user)
    for _ in range(2):
        assert client.get(story.url).get("X-Cache") != "hit"


def test_the_keep_is_forgotten_once_redis_answers_and_unused_while_it_does(
    client, own_cache, redis_server, story
):
    for _ in range(2):
        client.get(story.url)  # kept in Redis, not in the process
    assert not outage_keep.KEEP.entries
    redis_server.stop()
    client.get(story.url)
    assert outage_keep.KEEP.entries
    assert outage_keep.KEEP.size > 0
    redis_server.start()
    time.sleep(BREAKER_SECONDS)
    client.get(story.url)
    assert not outage_keep.KEEP.entries
    assert outage_keep.KEEP.size == 0


def test_the_keep_holds_at_most_its_entries(client, own_cache, redis_server, section, settings):
    settings.NEWS_OUTAGE_KEEP_ENTRIES = 2
    stories = [make_article(section, f"Story {n}") for n in range(3)]
    redis_server.stop()
    for story in stories:
        client.get(story.url)
    assert len(outage_keep.KEEP.entries) == 2


def test_old_rows_of_the_version_log_are_pruned_after_the_change_commits(
    own_cache, settings, django_capture_on_commit_callbacks
):
    settings.NEWS_OUTAGE_LOG_SECONDS = 200
    settings.NEWS_OUTAGE_KEEP_SECONDS = 60
    now = time.time_ns()
    VersionChange.objects.create(name="page:1", version=now - 250 * outage_keep.NS)
    VersionChange.objects.create(name="page:3", version=now - 150 * outage_keep.NS)
    outage_keep.LOG.next_prune = 0.0
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outage_keep.LOG.write({"page:2": now})
    # Not inside the change, where the rows' locks would hold other changes.
    assert VersionChange.objects.count() == 3
    for callback in callbacks:
        callback()
    assert sorted(VersionChange.objects.values_list("name", flat=True)) == ["page:2", "page:3"]
    # Never younger than twice the keep's age, whatever the setting says.
    settings.NEWS_OUTAGE_LOG_SECONDS = 10
    settings.NEWS_OUTAGE_KEEP_SECONDS = 100
    outage_keep.LOG.prune()
    assert sorted(VersionChange.objects.values_list("name", flat=True)) == ["page:2", "page:3"]


def test_a_log_that_cannot_be_written_never_undoes_the_change(
    own_cache, story, monkeypatch, caplog
):
    from django.db import DatabaseError

    def refuse(*args, **kwargs):
        raise DatabaseError("the log is locked")

    monkeypatch.setattr(VersionChange.objects, "bulk_create", refuse)
    story.title = "Harbour stays shut"
    story.save_revision().publish()
    story.refresh_from_db()
    assert story.title == "Harbour stays shut"
    assert "Could not log" in caplog.text


def test_the_keep_holds_at_most_its_bytes(client, own_cache, redis_server, section, settings):
    stories = [make_article(section, f"Story {n}") for n in range(3)]
    redis_server.stop()
    client.get(stories[0].url)
    one = outage_keep.KEEP.size
    settings.NEWS_OUTAGE_KEEP_BYTES = 2 * one + one // 2
    for story in stories[1:]:
        client.get(story.url)
    assert len(outage_keep.KEEP.entries) == 2
    assert outage_keep.KEEP.size <= settings.NEWS_OUTAGE_KEEP_BYTES


def test_nothing_is_logged_without_a_cache_that_can_be_away(db, settings, section):
    # The test settings' local-memory cache: no outage, no keep, no log.
    make_article(section, "Quiet story")
    assert not VersionChange.objects.exists()
