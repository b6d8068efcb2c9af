"""Which events happen, and what each endpoint is told of them.

Story events are read off Wagtail's audit log, where every path (admin, API, scheduler,
wire desk, scripts through Wagtail's actions) records what it did; wire events come from the
wire desk's signals. Each endpoint that wants an event gets a delivery row in the same
transaction as the change (a rolled-back change sends nothing), sent by the task worker
once it commits.

Payloads follow the Standard Webhooks shape, e.g.::

    {"type": "article.published", "timestamp": "2026-12-04T09:30:00Z",
     "data": {"id": 42, "type": "news.ArticlePage", "headline": "Dam holds",
              "section": {"id": 3, "slug": "world", "title": "World"},
              "url": "https://news.example.com/world/dam-holds/",
              "api": {"v2": ".../api/v2/pages/42/", "v3": ".../api/v3/pages/42/"},
              "live_revision": 118}}

A story that is not public (a draft in review, a private page) is described by its id, type
and editorial status only, unless the endpoint is marked internal.
"""

from django.conf import settings
from django.utils import timezone
from wagtail.models import PageLogEntry

from .models import WebhookEndpoint

# Wagtail log actions → events.
PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")
UNPUBLISH_ACTIONS = ("wagtail.unpublish", "wagtail.unpublish.scheduled")
WORKFLOW_EVENTS = {
    "wagtail.workflow.start": "article.submitted",
    "wagtail.workflow.resume": "article.submitted",
    "wagtail.workflow.approve": "article.approved",
    "wagtail.workflow.reject": "article.changes_requested",
    "wagtail.publish.schedule": "article.scheduled",
}
# Events about what readers see: their payload describes the public story (or, once it is
# gone, the address it had); the others describe a story that may not be public yet.
PUBLIC_EVENTS = {
    "article.published",
    "article.updated",
    "article.unpublished",
    "article.moved",
    "article.deleted",
    "section.published",
}


def is_public(page):
    return page.live and not page.get_view_restrictions().exists()


def api_base(page):
    base = getattr(settings, "WAGTAILAPI_BASE_URL", "") or (
        page.get_site().root_url if page.get_site() else ""
    )
    return base.rstrip("/")


def page_data(page, *, full):
    """What an event says of `page`: everything, or ids and status only."""
    from news.models import ArticlePage

    data = {"id": page.pk, "type": f"{page._meta.app_label}.{type(page).__name__}"}
    if isinstance(page, ArticlePage):
        data["editorial_status"] = page.editorial_status.value
    if not full:
        return data
    parent = page.get_parent()
    base = api_base(page)
    data.update(
        headline=page.title,
        url=page.get_full_url(),
        api={"v2": f"{base}/api/v2/pages/{page.pk}/", "v3": f"{base}/api/v3/pages/{page.pk}/"},
        live_revision=page.live_revision_id,
    )
    if isinstance(page, ArticlePage) and parent is not None:
        data["section"] = {"id": parent.pk, "slug": parent.slug, "title": parent.title}
    return data


def emit(event, page, *, extra=None, enabled=None):
    """Create a delivery of `event` about `page` for every endpoint that wants it, among the
    `enabled` endpoints when the caller has read them already."""
    from .delivery import new_delivery

    if enabled is None:
        enabled = WebhookEndpoint.objects.filter(enabled=True)
    parent = page.get_parent()
    section_id = page.pk if event == "section.published" else (parent.pk if parent else None)
    endpoints = [endpoint for endpoint in enabled if endpoint.wants(event, section_id)]
    if not endpoints:
        return []
    public = is_public(page) or (event in PUBLIC_EVENTS and page.last_published_at is not None)
    descriptions = {}
    deliveries = []
    for endpoint in endpoints:
        full = public or endpoint.internal
        if full not in descriptions:
            descriptions[full] = {**page_data(page, full=full), **(extra if full and extra else {})}
        payload = {
            "type": event,
            "timestamp": timezone.now().isoformat().replace("+00:00", "Z"),
            "data": descriptions[full],
        }
        deliveries.append(new_delivery(endpoint, event, payload, object_id=page.pk))
    return deliveries


def was_live_before(entry):
    """Whether the story was live before the publish that `entry` logs."""
    previous = (
        PageLogEntry.objects.filter(
            page_id=entry.page_id, action__in=PUBLISH_ACTIONS + UNPUBLISH_ACTIONS, pk__lt=entry.pk
        )
        .order_by("-pk")
        .values_list("action", flat=True)
        .first()
    )
    return previous in PUBLISH_ACTIONS


def event_of(entry, page):
    """The event a log entry about `page` stands for, or None."""
    from news.models import ArticlePage, SectionPage

    if isinstance(page, SectionPage):
        return "section.published" if entry.action in PUBLISH_ACTIONS else None
    if not isinstance(page, ArticlePage):
        return None
    if entry.action in PUBLISH_ACTIONS:
        return "article.updated" if was_live_before(entry) else "article.published"
    if entry.action in UNPUBLISH_ACTIONS:
        return "article.unpublished"
    if entry.action == "wagtail.move":
        return "article.moved"
    if entry.action == "wagtail.delete":
        return "article.deleted"
    return WORKFLOW_EVENTS.get(entry.action)


def on_log_entry(sender, instance, created, **kwargs):
    if not created or instance.page_id is None:
        return
    # One read of the endpoints per log entry: most entries find none and stop here.
    enabled = list(WebhookEndpoint.objects.filter(enabled=True))
    if not enabled:
        return
    from wagtail.models import Page

    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:
        return
    page = page.specific
    event = event_of(instance, page)
    if event is None:
        return
    extra = None
    if event == "article.moved":
        source = (instance.data or {}).get("source") or {}
        extra = {"moved_from": {"id": source.get("id"), "title": source.get("title")}}
    emit(event, page, extra=extra, enabled=enabled)


def on_wire_ingested(sender, page, uri, version, **kwargs):
    emit("wire.ingested", page.specific, extra={"wire": {"uri": uri, "version": version}})


def on_wire_killed(sender, page, uri, version, reason="", **kwargs):
    emit("wire.killed", page.specific, extra={"wire": {"uri": uri, "reason": reason}})


def connect_events():
    from django.db.models.signals import post_save

    from wire.signals import wire_ingested, wire_killed

    post_save.connect(on_log_entry, sender=PageLogEntry, dispatch_uid="webhooks-log-entry")
    wire_ingested.connect(on_wire_ingested, dispatch_uid="webhooks-wire-ingested")
    wire_killed.connect(on_wire_killed, dispatch_uid="webhooks-wire-killed")
