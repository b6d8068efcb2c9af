"""Background work runs as tasks: immediately in tests, from the database worker in production."""

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks.signals import task_finished
from django_tasks_db.models import DBTaskResult
from wagtail.images import get_image_model

from news.editorial.actions import SubmitForReviewAction
from news.renditions import rendition_specs
from news.tests.factories import make_article, make_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished_tasks():
    """The names of the tasks run during the test, in order, with their results."""
    finished = []

    def record(sender, task_result, **kwargs):
        finished.append((task_result.task.name, task_result.status, task_result.return_value))

    task_finished.connect(record, dispatch_uid="test-finished-tasks")
    yield finished
    task_finished.disconnect(dispatch_uid="test-finished-tasks")


def rendition_specs_of(image):
    return set(
        get_image_model().objects.get(pk=image.pk).renditions.values_list("filter_spec", flat=True)
    )


def test_publishing_warms_every_size_and_format_of_lead_and_body_pictures(section, finished_tasks):
    lead, inline = make_image("Lead"), make_image("Inline")
    make_article(
        section,
        "Pictures ready",
        lead_image=lead,
        body=[("image", {"image": inline, "caption": "", "credit": "", "alt": ""})],
    )
    assert ("warm_renditions", "SUCCESSFUL", 2) in finished_tasks
    assert rendition_specs_of(lead) == set(rendition_specs())
    assert rendition_specs_of(inline) == set(rendition_specs())
    assert "width-1600|format-avif" in rendition_specs_of(lead)


def test_a_story_without_pictures_enqueues_no_warm_up(section, finished_tasks):
    make_article(section, "Words only")
    assert "warm_renditions" not in {name for name, _status, _result in finished_tasks}


def test_workflow_emails_are_sent_by_a_task(writer, editor, story_by, finished_tasks):
    story = SubmitForReviewAction(story_by(writer, title="Tram strike"), writer)
    story.execute()
    assert ("send_workflow_email", "SUCCESSFUL", True) in finished_tasks
    assert [message.to for message in mail.outbox] == [["eddie@newsroom.test"]]


def test_search_index_updates_are_tasks(section, finished_tasks):
    make_article(section, "Indexed in the background")
    assert "insert_or_update_object_task" in {name for name, _status, _result in finished_tasks}


# The worker takes its own transaction (BEGIN EXCLUSIVE on SQLite), so this test commits;
# serialized_rollback puts back what the data migrations made.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_database_backend_stores_tasks_until_the_worker_runs_them(section, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    picture = make_image("Queued")
    make_article(section, "Queued pictures", lead_image=picture)
    queued = DBTaskResult.objects.filter(task_path="news.renditions.warm_renditions")
    assert queued.ready().count() == 1
    assert rendition_specs_of(picture) == set()

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert queued.successful().count() == 1
    assert rendition_specs_of(picture) == set(rendition_specs())


def test_production_stores_tasks_in_the_database(production_settings):
    assert production_settings().TASKS == {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend"}
    }
    custom = production_settings(TASKS_BACKEND="example_broker.Backend").TASKS
    assert custom["default"]["BACKEND"] == "example_broker.Backend"


def test_readers_of_a_published_story_never_wait_for_a_rendition(client, section):
    """Every size in every format (AVIF is the slow one) exists before the first reader."""
    rendition_model = get_image_model().get_rendition_model()
    story = make_article(
        section,
        "Pictures ready",
        lead_image=make_image("Lead"),
        body=[("image", {"image": make_image("Inline"), "caption": "", "credit": "", "alt": ""})],
    )
    made = rendition_model.objects.count()
    assert made == 2 * len(rendition_specs())
    for url in (story.url, section.url, "/", f"/api/v2/pages/{story.pk}/"):
        assert client.get(url).status_code == 200
    assert rendition_model.objects.count() == made
