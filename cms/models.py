"""Cache writes lost while Redis was unreachable, replayed when it answers (cms/cache_outage.py)."""

from django.db import models


class LostCacheWrite(models.Model):
    """One key whose write (a version bump, a deleted session) did not reach Redis.

    Written by the process that lost it, in the database that was up, so any process that
    reaches Redis again replays it, even when the one that lost it is gone.
    """

    key = models.TextField(help_text="The key as stored in Redis (prefix and version included).")
    lost_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "lost cache write"

    def __str__(self):
        return self.key
