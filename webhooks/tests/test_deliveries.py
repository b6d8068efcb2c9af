"""Webhooks: signed events for every change, retried, in order, never into our own network."""

import json
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from news.models import ArticlePage
from news.tests.factories import make_article
from webhooks.delivery import DISABLE_AFTER, MAX_ATTEMPTS, RETRY_DELAYS, deliver_due
from webhooks.models import WebhookDelivery, WebhookEndpoint

Status = WebhookDelivery.Status


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block as if its transaction committed (deliveries are sent on commit)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def publish(article):
    ArticlePage.objects.get(pk=article.pk).save_revision().publish()


def test_publishing_sends_a_signed_event_the_librarys_verifier_accepts(
    receiver, endpoint, section, committed
):
    hook = endpoint(events=["article.published"])
    with committed():
        article = make_article(section, "Dam holds after the storm")

    [request] = receiver.received
    headers = {name.lower(): value for name, value in request["headers"].items()}
    payload = Webhook(hook.secret).verify(request["body"], headers)
    assert payload["type"] == "article.published"
    assert payload["data"]["id"] == article.pk
    assert payload["data"]["headline"] == "Dam holds after the storm"
    assert payload["data"]["url"].endswith("/world/dam-holds-after-the-storm/")
    assert payload["data"]["api"]["v2"].endswith(f"/api/v2/pages/{article.pk}/")
    assert payload["data"]["api"]["v3"].endswith(f"/api/v3/pages/{article.pk}/")
    assert payload["data"]["section"]["slug"] == "world"
    assert (
        payload["data"]["live_revision"] == ArticlePage.objects.get(pk=article.pk).live_revision_id
    )
    with pytest.raises(WebhookVerificationError):
        Webhook(hook.secret).verify(request["body"].replace("Dam", "Dyke"), headers)


def test_a_new_live_version_is_an_update_and_taking_it_down_an_unpublish(
    receiver, endpoint, section, committed
):
    article = make_article(section, "Ferry returns")
    endpoint()
    with committed():
        publish(article)
        ArticlePage.objects.get(pk=article.pk).unpublish()

    assert [payload["type"] for payload in receiver.payloads()] == [
        "article.updated",
        "article.unpublished",
    ]
    assert receiver.payloads()[1]["data"]["url"].endswith("/world/ferry-returns/")


def test_workflow_events_on_a_draft_carry_ids_and_status_only(
    receiver, endpoint, writer, story_by, committed
):
    endpoint(events=["article.submitted"])
    endpoint(events=["article.submitted"], internal=True)
    draft = story_by(writer, title="Unannounced merger")
    with committed():
        draft.get_workflow().start(draft, writer)

    public, internal = sorted(receiver.payloads(), key=lambda payload: len(payload["data"]))
    assert public["data"] == {
        "id": draft.pk,
        "type": "news.ArticlePage",
        "editorial_status": "in_review",
    }
    assert internal["data"]["headline"] == "Unannounced merger"


def test_drafts_and_previews_send_nothing(receiver, endpoint, writer, story_by, committed):
    endpoint(events=["article.published", "article.updated"])
    with committed():
        draft = story_by(writer, title="Not yet")
        draft.save_revision(user=writer)

    assert receiver.received == []


def test_previewing_unsaved_changes_sends_nothing(
    client, receiver, endpoint, editor, section, article_form, committed
):
    article = make_article(section, "Live story")
    endpoint()
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
    with committed():
        client.post(url, article_form("Unreviewed headline", slug=article.slug))
        preview = client.get(url)

    assert b"Unreviewed headline" in preview.content
    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def test_an_endpoint_hears_only_its_section(receiver, endpoint, home_page, section, committed):
    from news.tests.factories import make_section

    business = make_section(home_page, "Business")
    endpoint(events=["article.published"], section=business)
    with committed():
        make_article(section, "World story")
        make_article(business, "Business story")

    assert [payload["data"]["headline"] for payload in receiver.payloads()] == ["Business story"]


# Retries, order and giving up


def test_a_failed_delivery_is_retried_with_backoff_and_then_delivered(
    receiver, endpoint, section, committed
):
    endpoint(events=["article.published"])
    receiver.answers.append((500, 0))
    with committed():
        make_article(section, "Retried story")

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.RETRYING
    assert delivery.response_code == 500
    first_try = delivery.next_attempt_at
    assert deliver_due(now=first_try - timedelta(seconds=1)) == 0

    deliver_due(now=first_try)

    delivery.refresh_from_db()
    assert delivery.status == Status.DELIVERED
    assert delivery.attempts == 2
    assert len(receiver.received) == 2
    assert (
        receiver.received[0]["headers"]["webhook-id"]
        == receiver.received[1]["headers"]["webhook-id"]
    )


def test_a_delivery_gives_up_after_six_attempts_over_about_an_hour(
    receiver, endpoint, section, committed
):
    endpoint(events=["article.published"])
    receiver.answers.extend([(503, 0)] * MAX_ATTEMPTS)
    with committed():
        make_article(section, "Never arrives")
    now = timezone.now()
    for delay in RETRY_DELAYS:
        now += timedelta(seconds=delay)
        deliver_due(now=now)

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.FAILED
    assert delivery.attempts == MAX_ATTEMPTS == 6
    assert timedelta(minutes=45) <= timedelta(seconds=sum(RETRY_DELAYS)) <= timedelta(minutes=90)


def test_an_endpoint_failing_for_a_day_is_disabled_and_administrators_told(
    receiver, endpoint, section, committed, django_user_model
):
    django_user_model.objects.create_superuser("chief", "chief@newsroom.test", "pw")
    hook = endpoint(events=["article.published"])
    WebhookEndpoint.objects.filter(pk=hook.pk).update(
        failing_since=timezone.now() - DISABLE_AFTER - timedelta(minutes=1)
    )
    receiver.answers.append((500, 0))
    with committed():
        make_article(section, "Last straw")

    hook.refresh_from_db()
    assert not hook.enabled
    assert "Disabled" in hook.disabled_reason
    assert [message.to for message in mail.outbox] == [["chief@newsroom.test"]]


def test_a_storys_events_arrive_in_order(receiver, endpoint, section, committed):
    endpoint()
    receiver.answers.append((500, 0))  # the first event fails once
    article = make_article(section, "Ordered", publish=False)
    with committed():
        publish(article)  # article.published: fails, retried later
        ArticlePage.objects.get(pk=article.pk).unpublish()  # article.unpublished: waits

    first, second = WebhookDelivery.objects.order_by("pk")
    assert (first.status, second.status) == (Status.RETRYING, Status.PENDING)
    assert len(receiver.received) == 1
    deliver_due(now=first.next_attempt_at)
    deliver_due(now=first.next_attempt_at + timedelta(seconds=5))

    assert [payload["type"] for payload in receiver.payloads()] == [
        "article.published",
        "article.published",
        "article.unpublished",
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_hanging_receiver_does_not_slow_publishing(receiver, endpoint, section, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.NEWS_WEBHOOKS_TIMEOUT = 0.5
    for _ in range(10):
        endpoint(events=["article.published"])
    receiver.answers.extend([(200, 3)] * 10)
    article = make_article(section, "Breaking", publish=False)

    started = time.monotonic()
    publish(article)  # commits: the deliveries are queued for the worker
    took = time.monotonic() - started

    assert took < 0.5 * 10  # nothing waited for a receiver
    assert receiver.received == []
    assert WebhookDelivery.objects.filter(status=Status.PENDING).count() == 10

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert WebhookDelivery.objects.filter(status=Status.RETRYING).count() == 10
    assert "TimeoutError" in WebhookDelivery.objects.first().error


# Outgoing requests cannot be turned against us


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/",
        "http://localhost/",
        "http://10.1.2.3/",
        "http://192.168.0.10/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://0.0.0.0/",
        "ftp://example.com/",
    ],
)
def test_endpoints_on_our_own_network_are_refused_in_the_admin(client, url, django_user_model):
    admin = django_user_model.objects.create_superuser("chief", "chief@newsroom.test", "pw")
    client.force_login(admin)

    response = client.post(
        reverse("webhook_endpoints:add"),
        {"url": url, "description": "", "events": ["article.published"], "enabled": "on"},
    )

    assert response.status_code == 200
    assert not WebhookEndpoint.objects.exists()


def test_an_address_that_turns_private_later_is_refused_at_delivery(
    receiver, endpoint, section, settings, committed
):
    endpoint(events=["article.published"])
    settings.NEWS_WEBHOOKS_ALLOW_PRIVATE = False  # the host now resolves to 127.0.0.1
    with committed():
        make_article(section, "Sneaky")

    delivery = WebhookDelivery.objects.get()
    assert receiver.received == []
    assert delivery.status == Status.RETRYING
    assert "127.0.0.1" in delivery.error


def test_a_delivery_goes_to_the_path_and_query_of_the_endpoint(
    receiver, endpoint, section, committed
):
    hook = endpoint(events=["article.published"])
    hook.url = f"{receiver.url}?site=news"
    hook.save()
    with committed():
        make_article(section, "Queried")

    assert [request["path"] for request in receiver.received] == ["/hooks/newsroom?site=news"]


def test_redirects_are_not_followed(receiver, endpoint, section, committed):
    endpoint(events=["article.published"])
    receiver.answers.append((302, 0))
    with committed():
        make_article(section, "Moved on")

    assert [request["path"] for request in receiver.received] == ["/hooks/newsroom"]
    assert WebhookDelivery.objects.get().status == Status.RETRYING


def test_a_log_entry_reads_the_endpoints_once(endpoint, section):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.log_actions import log

    endpoint(events=["article.published"])
    endpoint(events=["article.deleted"])
    article = make_article(section, "Counted", publish=False)

    with CaptureQueriesContext(connection) as queries:
        log(instance=article, action="wagtail.publish", revision=article.latest_revision)

    endpoint_reads = [q["sql"] for q in queries if 'FROM "webhooks_webhookendpoint"' in q["sql"]]
    assert len(endpoint_reads) == 1
    assert list(WebhookDelivery.objects.values_list("event", flat=True)) == ["article.published"]


# Secrets, the log and the admin


def test_a_rotated_secret_signs_with_both_until_the_grace_period_ends(
    receiver, endpoint, section, committed
):
    hook = endpoint(events=["article.published"])
    old_secret = hook.secret
    hook.rotate_secret(grace=timedelta(hours=1))
    with committed():
        make_article(section, "Rotated")

    request = receiver.received[0]
    headers = {name.lower(): value for name, value in request["headers"].items()}
    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(old_secret).verify(request["body"], headers)
    Webhook(hook.secret).verify(request["body"], headers)
    later = timezone.now() + timedelta(hours=2)
    assert hook.signing_secrets(later) == [hook.secret]


def test_the_delivery_log_redelivers_and_sends_a_test_event(
    client, receiver, endpoint, section, committed, django_user_model
):
    hook = endpoint(events=["article.published"])
    with committed():
        make_article(section, "Logged story")
    client.force_login(django_user_model.objects.create_superuser("chief", "c@n.test", "pw"))

    log = client.get(reverse("webhooks:deliveries", args=[hook.pk])).content.decode()
    assert "article.published" in log and "Delivered" in log and "204" in log

    delivery = WebhookDelivery.objects.get()
    with committed():
        client.post(reverse("webhooks:redeliver", args=[delivery.pk]))
        client.post(reverse("webhooks:send_test_event", args=[hook.pk]))

    assert [payload["type"] for payload in receiver.payloads()] == [
        "article.published",
        "article.published",
        "webhook.test",
    ]
    assert json.loads(receiver.received[1]["body"]) == delivery.payload


def test_only_administrators_manage_webhooks(client, editor):
    client.force_login(editor)

    assert client.get(reverse("webhook_endpoints:index")).status_code in (302, 403)
    assert client.get(reverse("webhooks:deliveries", args=[1])).status_code in (302, 403)


# Every event, read off Wagtail's audit log whatever path made the change


def test_review_decisions_and_schedules_are_events(
    receiver, endpoint, writer, editor, story_by, committed
):
    from news.editorial.actions import ApproveAction, RequestChangesAction

    endpoint(events=["article.approved", "article.changes_requested", "article.scheduled"])
    story = story_by(writer, go_live_at=timezone.now() + timedelta(hours=3))
    story.get_workflow().start(story, writer)
    with committed():
        RequestChangesAction(ArticlePage.objects.get(pk=story.pk), editor, "Check it.").execute()
        ArticlePage.objects.get(pk=story.pk).current_workflow_state.resume(writer)
        ApproveAction(ArticlePage.objects.get(pk=story.pk), editor).execute()

    assert [payload["type"] for payload in receiver.payloads()] == [
        "article.changes_requested",
        "article.approved",
        "article.scheduled",
    ]


def test_moves_deletes_and_section_fronts_are_events(
    client, receiver, endpoint, home_page, section, committed, django_user_model
):
    from news.tests.factories import make_section

    business = make_section(home_page, "Business")
    article = make_article(section, "Oil price falls")
    endpoint(events=["article.moved", "article.deleted", "section.published"])
    client.force_login(django_user_model.objects.create_superuser("chief", "c@n.test", "pw"))
    with committed():
        client.post(reverse("wagtailadmin_pages:move_confirm", args=[article.pk, business.pk]))
        client.post(reverse("wagtailadmin_pages:delete", args=[article.pk]))
        business.save_revision().publish()

    moved, deleted, front = receiver.payloads()
    assert moved["type"] == "article.moved"
    assert moved["data"]["section"]["slug"] == "business"
    assert moved["data"]["moved_from"]["title"] == "World"
    assert deleted["type"] == "article.deleted"
    assert deleted["data"]["url"].endswith("/business/oil-price-falls/")
    assert (front["type"], front["data"]["id"]) == ("section.published", business.pk)
