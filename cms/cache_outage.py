"""After a cache outage nothing stale is served: lost writes are replayed; a new Redis is staled.

The rule (README "Caching and the CDN"): an outage loses writes, and a Redis that comes back
with its data (it was frozen or partitioned) still holds what they should have changed. So
every lost write that other processes rely on (a version bump, a deleted session: see
cms/cache_backend.py) is written to the database (LostCacheWrite) by the process that lost
it, inside its transaction, since the database was up. Any process replays those rows as
soon as it reaches Redis (it looks at most every POLL_SECONDS): it deletes each key, so
every dependency bumped meanwhile counts as changed (cms/caching.py), then deletes the rows.
A story published or unpublished while Redis was unreachable is never served in its old
state once Redis answers, even by a process that saw no outage itself, and a session ended
meanwhile stays ended. Everything else Redis held is still right, and is served warm at once.

A Redis of another lifetime (restarted, perhaps from a snapshot older than writes that had
succeeded and so were never recorded as lost) is not trusted at all: the first process to
notice runs NEWS_CACHE_RECOVERY_HOOKS (cms.caching.stale_the_cache: every cached
response, kept representation and memo shows the site version, so all go stale at once;
what the database stores, such as the stored representation parts, is left alone).
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

    def recovered(self, cache, new_lifetime):
        self.replay(cache, self.pending_rows(), new_lifetime, after_outage=True)

    def reachable(self, cache, new_lifetime):
        rows = self.pending_rows()
        if rows or self.unreplayed or new_lifetime:
            self.replay(cache, rows, new_lifetime)

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

    def replay(self, cache, rows, new_lifetime, after_outage=False):
        """Deletes the lost keys; runs the recovery hooks first if Redis is a new one."""
        from cms.models import LostCacheWrite

        with self.lock:
            remembered = set(self.unreplayed)
        keys = remembered | {key for _pk, key in rows}
        cache.delete_strictly(keys)  # raises if Redis fails again: all stays pending
        if new_lifetime:
            run_recovery_hooks()
        if cache.breaker.is_open:
            return  # the hooks' writes did not arrive: replay again next time
        if new_lifetime:
            cache.adopt_lifetime(new_lifetime)
        with self.lock:
            self.unreplayed -= remembered
        if rows:
            try:
                with transaction.atomic():
                    LostCacheWrite.objects.filter(id__in=[pk for pk, _key in rows]).delete()
            except DatabaseError:
                logger.warning("Could not clear replayed cache writes; they will run again.")
        logger.warning(
            "Cache %s: %d lost writes replayed%s.",
            "recovered" if after_outage else "reachable",
            len(keys),
            "; a restarted server, everything cached before is staled" if new_lifetime else "",
        )


handler = OutageLedger()
