"""A story's editorial history, read from Wagtail's audit log (nothing is recorded twice)."""

from dataclasses import dataclass
from datetime import datetime

from wagtail.models import PageLogEntry

#: Wagtail log actions → the newsroom's words for them.
HISTORY_ACTIONS = {
    "wagtail.workflow.start": "submitted",
    "wagtail.workflow.resume": "submitted",
    "wagtail.workflow.approve": "approved",
    "wagtail.workflow.reject": "changes_requested",
    "wagtail.workflow.cancel": "cancelled",
    "wagtail.publish": "published",
    "wagtail.publish.scheduled": "published",
    "wagtail.publish.schedule": "scheduled",
    "wagtail.unpublish": "unpublished",
    "wagtail.unpublish.scheduled": "unpublished",
}


@dataclass(frozen=True)
class HistoryEntry:
    action: str
    user: object  # a user, or None for the scheduler
    comment: str
    time: datetime


def editorial_history(page):
    """The page's transitions, oldest first, as HistoryEntry items."""
    entries = (
        PageLogEntry.objects.filter(page_id=page.pk, action__in=HISTORY_ACTIONS)
        .select_related("user")
        .order_by("timestamp", "pk")
    )
    return [
        HistoryEntry(
            action=HISTORY_ACTIONS[entry.action],
            user=entry.user,
            comment=(entry.data or {}).get("comment") or "",
            time=entry.timestamp,
        )
        for entry in entries
    ]
