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


class SiteVersion(models.Model):
    """The site version as the database holds it: one row, changed with every site-wide change
    (a Site, a view restriction, a section; cms/caching.py bump) inside its transaction.

    Processes that share no cache (no Redis: NEWS_FRAGMENT_CACHE_TIMEOUT is 0) key their
    per-process memos of Sites and view restrictions by it, so a change one process commits
    reaches every other at its next request, for one small query per request.
    """

    version = models.BigIntegerField(default=0)

    def __str__(self):
        return f"Site version {self.version}"


class VersionChange(models.Model):
    """A dependency's new version (cms/caching.py bump), logged in the change's transaction and
    again once it commits: what a process checks the responses it kept for itself against
    while the shared cache is away (cms/outage_keep.py). Rows older than any such response
    are pruned as new ones come."""

    name = models.CharField(max_length=255)
    version = models.BigIntegerField(help_text="ns since the epoch, as the cache's versions.")

    class Meta:
        verbose_name = "version change"
        indexes = [
            models.Index(fields=["name", "version"], name="cms_versionchange_name"),
            models.Index(fields=["version"], name="cms_versionchange_version"),
        ]

    def __str__(self):
        return f"{self.name} @ {self.version}"
