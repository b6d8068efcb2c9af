"""Responses a process keeps for itself while the shared cache is away, checked against the
database's log of version changes.

While Redis is stopped, hung or cut off (cms/cache_backend.py: its breaker is open), every
version reads as "changed now", so the response cache serves nothing and each request is built
from the database: as fast as a server with no cache at all, never faster. This keep does
better. The anonymous response the middleware would have stored in Redis (cms/caching.py)
goes into this process's memory instead, with the names of what it shows and `as_of`, the
time its request began; the next reader of the same key gets it while no name it shows has a
version of `as_of` or later in VersionChange. Every bump logs its versions there, in the
change's transaction and again once it commits, whether or not Redis took them
(cms.caching.bump): so a change any process commits, during the outage or in the moment
before this process noticed it, is seen by the one indexed query a kept response costs,
where building it again costs a page's queries and rendering.

Bounds: NEWS_OUTAGE_KEEP_ENTRIES responses and NEWS_OUTAGE_KEEP_BYTES of them (the least
recently served go first), each served for at most NEWS_OUTAGE_KEEP_SECONDS after its request
began; log rows older than NEWS_OUTAGE_LOG_SECONDS (at least twice that) are pruned after
changes commit. A response that depends
on any change (its view declared nothing: ANY) is not kept, and nothing is kept or served for
a request that is not anonymous (the middleware asks only for those). The keep is read and
written only while the breaker is open and forgotten once the cache answers again.
"""

import logging
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction

# The module, not its names: cms.caching imports this one as it loads.
from cms import caching

logger = logging.getLogger(__name__)

NS = 1_000_000_000


def enabled():
    """On when responses are cached in a shared cache that can be away (Redis behind its
    breaker, cms/cache_backend.py), and NEWS_OUTAGE_KEEP_SECONDS is set."""
    return bool(
        settings.NEWS_CACHE_TIMEOUT
        and settings.NEWS_OUTAGE_KEEP_SECONDS
        and hasattr(cache, "unavailable")
    )


def changed_since(names, as_of):
    """Whether any of these names has a logged version of `as_of` or later (one query)."""
    from cms.models import VersionChange

    logged = [name for name in names if caching.deadline_of(name) is None]
    if not logged:
        return False
    # Plain SQL: the ORM would spend longer building this than the database answering it.
    table = connection.ops.quote_name(VersionChange._meta.db_table)
    marks = ", ".join(["%s"] * len(logged))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE name IN ({marks}) AND version >= %s LIMIT 1",  # noqa: S608 - placeholders only
            [*logged, as_of],
        )
        return cursor.fetchone() is not None


def past_deadline(names, now):
    deadline = caching.earliest_deadline(names)
    return deadline is not None and now >= deadline


class OutageKeep:
    """This process's keep: {key: (content, headers, names, as_of, last_modified)}, the
    middleware's own entry shape."""

    def __init__(self):
        self.lock = threading.Lock()
        self.entries = OrderedDict()
        self.size = 0  # bytes of content held
        self.in_outage = False

    def active(self):
        """Whether to use the keep now: enabled, and the shared cache away. The first request
        after the cache answers again empties it."""
        away = enabled() and caching.shared_cache_away()
        if not away and self.in_outage:
            self.clear()
        self.in_outage = away
        return away

    def get(self, key):
        """The entry kept for `key` if nothing it shows changed since, else None."""
        with self.lock:
            entry = self.entries.get(key)
        if entry is None:
            return None
        _content, _headers, names, as_of, _last_modified = entry
        now = time.time_ns()
        if (
            now - as_of > settings.NEWS_OUTAGE_KEEP_SECONDS * NS
            or past_deadline(names, now)
            or changed_since(names, as_of)
        ):
            with self.lock:
                if self.entries.get(key) is entry:
                    del self.entries[key]
                    self.size -= len(entry[0])
            return None
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
        return entry

    def put(self, key, entry):
        """Keeps `entry` unless it depends on any change or something it shows changed while
        it was built."""
        _content, _headers, names, as_of, _last_modified = entry
        if (
            caching.ANY in names
            or past_deadline(names, time.time_ns())
            or changed_since(names, as_of)
        ):
            return
        with self.lock:
            if key in self.entries:
                self.size -= len(self.entries.pop(key)[0])
            self.entries[key] = entry
            self.size += len(entry[0])
            while self.entries and (
                len(self.entries) > settings.NEWS_OUTAGE_KEEP_ENTRIES
                or self.size > settings.NEWS_OUTAGE_KEEP_BYTES
            ):
                self.size -= len(self.entries.popitem(last=False)[1][0])

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.size = 0


KEEP = OutageKeep()


class VersionLog:
    """Writes bumped versions to VersionChange and prunes the old rows now and then."""

    PRUNE_EVERY = 60  # seconds, per process

    def __init__(self):
        self.next_prune = 0.0

    def write(self, versions):
        """Logs {name: version} (not ANY: every change bumps it, and nothing kept shows it).

        In a savepoint: the log serves an accelerator, and a failure to write it must not
        undo the change it logs (it is logged as an error). The old rows are pruned once the
        change has committed, never inside it, where their locks would hold other changes.
        """
        if not enabled():
            return
        from cms.models import VersionChange

        rows = [
            VersionChange(name=name, version=version)
            for name, version in sorted(versions.items())
            if name != caching.ANY
        ]
        if rows:
            try:
                with transaction.atomic():
                    VersionChange.objects.bulk_create(rows)
            except DatabaseError:
                logger.exception("Could not log %d version changes", len(rows))
        if time.monotonic() >= self.next_prune:
            self.next_prune = time.monotonic() + self.PRUNE_EVERY
            transaction.on_commit(self.prune, robust=True)

    @staticmethod
    def prune():
        """Deletes the rows no kept response can still need: older than
        NEWS_OUTAGE_LOG_SECONDS, and never younger than twice NEWS_OUTAGE_KEEP_SECONDS."""
        from cms.models import VersionChange

        seconds = max(settings.NEWS_OUTAGE_LOG_SECONDS, 2 * settings.NEWS_OUTAGE_KEEP_SECONDS)
        VersionChange.objects.filter(version__lt=time.time_ns() - seconds * NS).delete()


LOG = VersionLog()
