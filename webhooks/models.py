"""Webhook endpoints that other systems register, and each delivery made to them."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

#: Every event an endpoint can ask for, with what it means to the people choosing them.
EVENTS = {
    "article.published": "A story goes live for the first time (or again after being taken down)",
    "article.updated": "A live story gets a new live version",
    "article.unpublished": "A story is taken down",
    "article.moved": "A story moves to another section",
    "article.deleted": "A story is deleted",
    "article.scheduled": "A story is approved to go live at a later time",
    "article.submitted": "A story is submitted for review",
    "article.approved": "A story is approved in review",
    "article.changes_requested": "A story is sent back to its writer",
    "wire.ingested": "Agency copy arrives from the wire",
    "wire.killed": "The agency withdraws a story",
    "section.published": "A section front is published",
    "liveblog.post_published": "A live blog that readers can see gets a new or corrected post",
}
SECRET_PREFIX = "whsec_"  # noqa: S105 (the spec's prefix, not a secret)


def new_secret():
    """A Standard Webhooks signing secret: "whsec_" and 32 random bytes in base64."""
    import base64

    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def validate_events(value):
    unknown = sorted(set(value) - set(EVENTS))
    if not isinstance(value, list) or not value:
        raise ValidationError("Choose at least one event.")
    if unknown:
        raise ValidationError(f"Unknown events: {', '.join(unknown)}.")


class WebhookEndpoint(models.Model):
    """A URL told of the events it asks for, signed with its secret."""

    url = models.URLField(
        "URL",
        max_length=500,
        help_text="Where events are POSTed, e.g. https://www.example.com/api/revalidate",
    )
    description = models.CharField(
        max_length=255, blank=True, help_text='Who runs it and why, e.g. "Next.js front end".'
    )
    events = models.JSONField(
        default=list, validators=[validate_events], help_text="The events this endpoint hears of."
    )
    section = models.ForeignKey(
        "news.SectionPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Only stories in this section (leave empty for every section).",
    )
    enabled = models.BooleanField(default=True)
    internal = models.BooleanField(
        default=False,
        help_text="Internal systems also get headlines and URLs of stories that are not public "
        "(workflow events); others get only ids and status for those.",
    )
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    failing_since = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_reason = models.CharField(max_length=255, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url"]

    def __str__(self):
        return self.description or self.url

    def wants(self, event, section_id=None):
        if not self.enabled or event not in self.events:
            return False
        return self.section_id is None or self.section_id == section_id

    def signing_secrets(self, now=None):
        """The secrets a delivery is signed with: the current one, and during a rotation's
        grace period the previous one too (receivers accept either signature)."""
        now = now or timezone.now()
        if (
            self.previous_secret
            and self.previous_secret_expires_at
            and now < self.previous_secret_expires_at
        ):
            return [self.secret, self.previous_secret]
        return [self.secret]

    def rotate_secret(self, grace=None):
        """A new secret; the old one stays valid for `grace` (NEWS_WEBHOOKS_SECRET_GRACE)."""
        grace = (
            grace if grace is not None else timedelta(seconds=settings.NEWS_WEBHOOKS_SECRET_GRACE)
        )
        self.previous_secret = self.secret
        self.previous_secret_expires_at = timezone.now() + grace
        self.secret = new_secret()
        self.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at"])


class WebhookDelivery(models.Model):
    """One event sent (or to be sent) to one endpoint, with its attempts."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RETRYING = "retrying", "Retrying"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    message_id = models.CharField(max_length=64, unique=True)
    event = models.CharField(max_length=64)
    object_id = models.PositiveBigIntegerField(null=True, blank=True, help_text="The story's id.")
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(
                fields=["endpoint", "object_id", "created_at"], name="webhook_delivery_story"
            ),
        ]
        verbose_name_plural = "webhook deliveries"

    def __str__(self):
        return f"{self.event} → {self.endpoint}"
