"""After a cache outage nothing stale is served: lost writes are replayed, and all is staled.

The rule (README "Caching and the CDN"): what Redis held before an outage is not trusted
after it. Redis may come back with its data (it was frozen, partitioned, or restored from a
snapshot older than the last publish), while the writes that should have changed it were
lost. So:

- every process whose breaker closes again after an outage runs NEWS_CACHE_RECOVERY_HOOKS
  (cms.caching.bump_content_version: every cached response, kept representation and memo
  is keyed by the site's content version, so all of them are stale at once);
- every lost write that other processes rely on (a version bump, a deleted session: see
  cms/cache_backend.py) is written to the database (LostCacheWrite) by the process that
  lost it, inside its transaction, since the database was up. Any process replays those
  rows as soon as it reaches Redis (it looks at most every POLL_SECONDS): it deletes each
  key, runs the hooks, then deletes the rows. So a story published or unpublished while
  Redis was unreachable is never served in its old state once Redis answers, even by a
  process that saw no outage itself, and a session ended meanwhile stays ended.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Rows replayed per look; more wait for the next one.
REPLAY_BATCH = 1000
# After the database failed to answer a look, how long to leave it alone (seconds).
DATABASE_BACKOFF = 30
# Keys a process remembers itself, for when the database could not record them either.
MEMORY_LIMIT = 10_000


def run_recovery_hooks():
    for path in settings.NEWS_CACHE_RECOVERY_HOOKS:
        import_string(path)()


class OutageLedger:
    """The outage handler of cms.cache_backend.ResilientRedisCache (one per process)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.unreplayed = set()  # keys this process lost since its last replay
        self.database_rests_until = 0.0
        self.next_poll = 0.0

    def writes_lost(self, cache, keys):
        with self.lock:
            if len(self.unreplayed) < MEMORY_LIMIT:
                self.unreplayed.update(keys)
        from cms.models import LostCacheWrite

        try:
            # A savepoint: a failure here must not break the caller's transaction.
            with transaction.atomic():
                LostCacheWrite.objects.bulk_create(LostCacheWrite(key=key) for key in keys)
        except DatabaseError:
            logger.error("Could not record %d lost cache writes: %s", len(keys), keys[:5])

    def recovered(self, cache):
        self.replay(cache, self.pending_rows(), after_outage=True)

    def reachable(self, cache):
        rows = self.pending_rows()
        if rows or self.unreplayed:
            self.replay(cache, rows)

    def pending_rows(self):
        """[(id, key)] of lost writes waiting in the database, oldest first; [] when it cannot
        say (the database rests after failing)."""
        from cms.models import LostCacheWrite

        if time.monotonic() < self.database_rests_until:
            return []
        try:
            # A savepoint: a failure here must not break the caller's transaction.
            with transaction.atomic():
                pending = LostCacheWrite.objects.order_by("id").values_list("id", "key")
                return list(pending[:REPLAY_BATCH])
        except DatabaseError:
            self.database_rests_until = time.monotonic() + DATABASE_BACKOFF
            return []

    def replay(self, cache, rows, after_outage=False):
        from cms.models import LostCacheWrite

        with self.lock:
            remembered = set(self.unreplayed)
        keys = remembered | {key for _pk, key in rows}
        cache.delete_strictly(keys)  # raises if Redis fails again: all stays pending
        run_recovery_hooks()
        if cache.breaker.is_open:
            return  # the hooks' writes did not arrive: replay again next time
        with self.lock:
            self.unreplayed -= remembered
        if rows:
            try:
                with transaction.atomic():
                    LostCacheWrite.objects.filter(id__in=[pk for pk, _key in rows]).delete()
            except DatabaseError:
                logger.warning("Could not clear replayed cache writes; they will run again.")
        logger.warning(
            "Cache %s: %d lost writes replayed, cached content staled.",
            "recovered" if after_outage else "reachable",
            len(keys),
        )


handler = OutageLedger()
