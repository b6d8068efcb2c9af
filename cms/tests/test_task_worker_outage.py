"""With the task worker down a publish still publishes; what it queued runs when the worker
returns, and a CDN purge that failed is tried again until the CDN takes it."""

import datetime
import threading
from http.server import ThreadingHTTPServer

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cms.purge_queue import RETRY_DELAYS, purge_urls
from cms.tests.fault_servers import free_port
from conftest import PurgeRecorder
from news.editorial.actions import SubmitForReviewAction

# The worker takes its own transaction (BEGIN EXCLUSIVE on SQLite), so these tests commit;
# serialized_rollback puts back what the data migrations made.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    """The worker comes back: it runs every task that is due, then stops."""
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def queued(task_path):
    return DBTaskResult.objects.ready().filter(task_path=task_path)


def waiting():
    """Tasks not run yet, due or not."""
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY)


def test_a_publish_with_the_worker_down_runs_its_purge_index_and_emails_when_it_returns(
    client, cdn, writer, editor, story_by
):
    story = story_by(writer, title="Tram strike called off")
    SubmitForReviewAction(story, writer).execute()
    story.get_latest_revision().publish(user=editor)

    # Published, and readers see it, with no worker running.
    assert client.get(story.url).status_code == 200
    assert queued("cms.purge_queue.purge_urls_task").exists()
    assert queued("modelsearch.tasks.insert_or_update_object_task").exists()
    assert queued("news.editorial.notifications.send_workflow_email").exists()
    assert cdn() == set() and mail.outbox == []
    assert b"Tram strike called off" not in client.get("/search/?q=tram").content

    run_worker()

    assert story.url in cdn()
    assert [message.to for message in mail.outbox] == [["eddie@newsroom.test"]]
    assert b"Tram strike called off" in client.get("/search/?q=tram").content
    assert not DBTaskResult.objects.ready().exists()


def test_a_cdn_purge_that_failed_is_retried_with_backoff_until_the_cdn_takes_it(settings):
    port = free_port()  # the CDN is down: nothing listens there yet
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{port}",
        }
    }
    purge_urls(["http://testserver/world/tram-strike/"])
    run_worker()

    retry = waiting().get(task_path="cms.purge_queue.purge_urls_task")
    assert retry.args_kwargs["args"] == [["http://testserver/world/tram-strike/"], ["varnish"], 1]
    wait = retry.run_after - timezone.now()
    assert datetime.timedelta(seconds=RETRY_DELAYS[0] - 5) < wait
    assert wait <= datetime.timedelta(seconds=RETRY_DELAYS[0])
    run_worker()  # not yet due: nothing runs
    assert waiting().get() == retry

    cdn = ThreadingHTTPServer(("127.0.0.1", port), PurgeRecorder)
    cdn.received = []
    try:
        threading.Thread(target=cdn.serve_forever, daemon=True).start()
        waiting().update(run_after=timezone.now())  # its time has come
        run_worker()
    finally:
        cdn.shutdown()
        cdn.server_close()
    assert cdn.received == [("testserver", "/world/tram-strike/")]
    assert not waiting().exists()
