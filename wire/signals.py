"""Signals of the wire desk, for whoever follows agency copy (webhooks/events.py)."""

from django.dispatch import Signal

#: Sent once a ninjs item created or updated a story: sender=WireDesk, page, uri, version.
wire_ingested = Signal()
#: Sent once the agency withdrew a story: sender=WireDesk, page, uri, reason.
wire_killed = Signal()
