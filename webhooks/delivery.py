"""Sending a delivery: signed by the Standard Webhooks specification, never into our own
network, retried with backoff in order per story, and an endpoint failing for a day disabled.

Each attempt resolves the endpoint's host afresh and connects to the address it checked (a DNS
change between check and connect cannot point it inward), follows no redirect, gives up after
NEWS_WEBHOOKS_TIMEOUT seconds and reads at most a few kilobytes of the answer.
"""

import http.client
import ipaddress
import json
import logging
import socket
import ssl
import time
import uuid
from datetime import timedelta
from typing import NamedTuple
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from .models import WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

#: Seconds before the 2nd…6th attempt: six attempts over about an hour.
RETRY_DELAYS = (30, 120, 300, 900, 2400)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
#: An endpoint that has failed for this long is disabled and administrators are told.
DISABLE_AFTER = timedelta(days=1)
#: The most of an answer that is read (and kept, in the log) from a receiver.
MAX_RESPONSE_BYTES = 4096
USER_AGENT = "Newsroom-Webhooks/1.0"
Status = WebhookDelivery.Status


class RefusedAddress(ValidationError):
    """The endpoint's host is, or resolves to, an address we never send to."""


def allowed_address(address):
    """True for a public address; loopback, private, link-local (cloud metadata), reserved and
    multicast ones only with NEWS_WEBHOOKS_ALLOW_PRIVATE."""
    if settings.NEWS_WEBHOOKS_ALLOW_PRIVATE:
        return True
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class Destination(NamedTuple):
    """Where a delivery goes, e.g. ("https", "hooks.example.com", 443, "203.0.113.7",
    "/newsroom?site=1"): the address is the one checked, the target the URL's path and query."""

    scheme: str
    host: str
    port: int
    address: str
    target: str


def resolve(url):
    """The Destination of `url`; RefusedAddress if it may not be reached, or does not resolve."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedAddress("Use an http:// or https:// URL.")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise RefusedAddress(f"{parts.hostname} does not resolve.") from e
    addresses = [info[4][0] for info in infos]
    refused = [address for address in addresses if not allowed_address(address)]
    if refused:
        raise RefusedAddress(
            f"{parts.hostname} resolves to {refused[0]}, a loopback, private, link-local or "
            "reserved address; webhooks are only sent to public addresses."
        )
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Destination(parts.scheme, parts.hostname, port, addresses[0], target)


class PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to an address already checked, whatever the host name resolves to now."""

    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The same over TLS: the certificate is checked against the host name, as usual."""

    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def signed_headers(endpoint, message_id, body, now):
    """Standard Webhooks headers; during a secret rotation, signed with both secrets."""
    timestamp = now.replace(microsecond=0)
    signatures = [
        Webhook(secret).sign(message_id, timestamp, body)
        for secret in endpoint.signing_secrets(now)
    ]
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": " ".join(signatures),
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
    }


def post(endpoint, message_id, body, now):
    """POST `body` to the endpoint once: (status code or None, error text, duration in ms)."""
    started = time.monotonic()
    try:
        to = resolve(endpoint.url)
        connection_class = PinnedHTTPSConnection if to.scheme == "https" else PinnedHTTPConnection
        connection = connection_class(
            to.host, to.port, to.address, timeout=settings.NEWS_WEBHOOKS_TIMEOUT
        )
        headers = signed_headers(endpoint, message_id, body, now)
        try:
            connection.request("POST", to.target, body=body, headers=headers)
            response = connection.getresponse()
            answer = response.read(MAX_RESPONSE_BYTES)
        finally:
            connection.close()
    except RefusedAddress as e:
        return None, e.message, elapsed_ms(started)
    except (OSError, http.client.HTTPException) as e:
        return None, f"{type(e).__name__}: {e}"[:500], elapsed_ms(started)
    error = "" if 200 <= response.status < 300 else answer.decode("utf-8", "replace")[:500]
    return response.status, error, elapsed_ms(started)


def elapsed_ms(started):
    return int((time.monotonic() - started) * 1000)


def waiting_behind(delivery):
    """An earlier delivery of the same story to the same endpoint not yet settled, if any:
    a receiver must hear of a story's changes in the order they happened."""
    if delivery.object_id is None:
        return None
    return (
        WebhookDelivery.objects.filter(
            endpoint_id=delivery.endpoint_id,
            object_id=delivery.object_id,
            status__in=(Status.PENDING, Status.RETRYING),
            pk__lt=delivery.pk,
        )
        .order_by("pk")
        .first()
    )


def attempt(delivery_id, now=None):
    """Make the next attempt of a delivery; returns it. Safe to call twice (a delivered or
    failed delivery is left alone; the row is locked while it is sent)."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status in (Status.DELIVERED, Status.FAILED):
            return delivery
        endpoint = delivery.endpoint
        if not endpoint.enabled:
            delivery.status = Status.FAILED
            delivery.error = "The endpoint is disabled."
            delivery.save(update_fields=["status", "error"])
            return delivery
        earlier = waiting_behind(delivery)
        if earlier is not None:
            delivery.next_attempt_at = max(earlier.next_attempt_at or now, now) + timedelta(
                seconds=1
            )
            delivery.save(update_fields=["next_attempt_at"])
            schedule(delivery)
            return delivery
        body = json.dumps(delivery.payload, separators=(",", ":"))
        code, error, duration = post(endpoint, delivery.message_id, body, now)
        delivery.attempts += 1
        delivery.response_code = code
        delivery.duration_ms = duration
        delivery.error = error
        if code is not None and 200 <= code < 300:
            delivery.status = Status.DELIVERED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
            if endpoint.failing_since is not None:
                WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
        elif delivery.attempts < MAX_ATTEMPTS:
            delivery.status = Status.RETRYING
            delivery.next_attempt_at = now + timedelta(seconds=RETRY_DELAYS[delivery.attempts - 1])
        else:
            delivery.status = Status.FAILED
            delivery.next_attempt_at = None
        delivery.save()
        if delivery.status != Status.DELIVERED:
            note_failure(endpoint, now)
    if delivery.status == Status.RETRYING:
        schedule(delivery)
    return delivery


def note_failure(endpoint, now):
    """Remember since when the endpoint fails; after DISABLE_AFTER, disable it and say so."""
    if endpoint.failing_since is None:
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=now)
        return
    if now - endpoint.failing_since < DISABLE_AFTER:
        return
    reason = (
        f"Disabled on {now:%Y-%m-%d %H:%M} UTC after failing since "
        f"{endpoint.failing_since:%Y-%m-%d %H:%M} UTC."
    )
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(enabled=False, disabled_reason=reason)
    administrators = get_user_model().objects.filter(is_superuser=True, is_active=True)
    recipients = [user.email for user in administrators if user.email]
    if recipients:
        send_mail(
            f"Webhook endpoint disabled: {endpoint}",
            f"The webhook endpoint {endpoint.url} kept failing and has been disabled.\n"
            f"{reason}\nRe-enable it under Settings → Webhooks once the receiver is fixed.",
            None,
            recipients,
            fail_silently=True,
        )
    logger.warning("webhooks: endpoint %s disabled: %s", endpoint.pk, reason)


def schedule(delivery):
    """Queue the delivery's next attempt with the task worker (at its time, where the task
    backend can defer; otherwise `manage.py deliver_webhooks` picks it up when due)."""
    from django_tasks import default_task_backend

    from .tasks import deliver_webhook

    if delivery.next_attempt_at is None:
        deliver_webhook.enqueue(delivery.pk)
    elif default_task_backend.supports_defer:
        deliver_webhook.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)


def deliver_due(now=None):
    """Attempt every delivery whose time has come; returns how many were attempted."""
    now = now or timezone.now()
    due = WebhookDelivery.objects.filter(
        status__in=(Status.PENDING, Status.RETRYING), next_attempt_at__lte=now
    ).order_by("pk")
    count = 0
    for delivery_id in due.values_list("pk", flat=True):
        attempt(delivery_id, now=now)
        count += 1
    return count


def new_delivery(endpoint, event, payload, object_id=None):
    """A delivery row for `event`, sent once the current transaction commits."""
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        message_id=f"msg_{uuid.uuid4().hex}",
        event=event,
        object_id=object_id,
        payload=payload,
    )
    transaction.on_commit(lambda: schedule(delivery), robust=True)
    return delivery


def redeliver(delivery):
    """Send a delivery's payload again, as a new message (Redeliver in the admin)."""
    return new_delivery(delivery.endpoint, delivery.event, delivery.payload, delivery.object_id)
