"""A Redis cache that fails open: an unreachable or hung Redis is a cache miss, never an error.

    CACHES = {"default": {
        "BACKEND": "cms.cache_backend.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
        "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.25},
        "BREAKER_SECONDS": 5,                       # log an outage at most this often
        "PING_SECONDS": 1,                          # how often the breaker pings while open
        "OUTAGE_HANDLER": "cms.cache_outage.handler",  # told of lost writes and recoveries
        "POLL_SECONDS": 1,                          # how often to call handler.reachable()
        "TRACKED_KEY_PREFIXES": ["django.contrib.sessions.cached_db"],
        "LOCAL_KEYS": ["wagtail_site_root_paths"],  # kept in the process during an outage
    }}

Every operation that meets a Redis error (refused, reset, timed out) answers as a miss or a
no-op: get() the default, get_many() {}, add() False, incr() ValueError ("no such key"),
set() and delete() nothing. The first error opens a per-process circuit breaker: while it
is open no request asks Redis (no timeout to wait for), and a thread of the breaker's own
pings it every PING_SECONDS (a ping costs no reader anything, so it can be frequent: the
cache is back within about a second of Redis), logging at most once per BREAKER_SECONDS; so
a dead or hung Redis costs each process one request's timeout per outage. When Redis
answers the ping, the next caller recovers and closes the breaker. Everything above the
cache (responses, kept representations, version keys, sessions) meanwhile renders from the
database, except the LOCAL_KEYS: small values read by every request (Wagtail's site root
paths), which each process keeps itself while its breaker is open, for at most
BREAKER_SECONDS at a time, as a process without a shared cache keeps them in local memory.

A write lost meanwhile may leave an old value in a Redis that comes back with its data (a
frozen or partitioned Redis). The backend tells its outage handler about the lost writes
other processes rely on: deletes, increments, sets of keys that never expire (version keys),
and sets of keys under TRACKED_KEY_PREFIXES (sessions); sets with an expiry are entries
keyed by versions, which replaying the lost version writes stales. The handler is told too
when the breaker closes after an outage (recovered()) and, every POLL_SECONDS while Redis
answers, that it does (reachable()); see cms/cache_outage.py.

Each of those calls says whether what Redis holds comes from another lifetime of the server
(`new_lifetime`: its run_id, else None): a Redis restarted empty, or restored from a snapshot
older than writes that succeeded before it went down, which no process recorded as lost.
Redis's run_id changes at every start; the handler keeps, in Redis itself (SERVER_KEY,
adopt_lifetime()), the run_id whose data it last made trustworthy, so data restored from a
snapshot carries an old one, and any process, even one started after the restore, notices
within POLL_SECONDS.
"""

import logging
import threading
import time
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.utils.module_loading import import_string
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What a Redis outage raises: redis-py's errors, and the socket's own (OSError).
OUTAGE_ERRORS = (RedisError, OSError)
# What call() answers for an operation that did not happen, where None would be an answer.
MISSING = object()
# What call() answers for an operation that did not reach Redis (get() and set() look).
UNAVAILABLE = object()
# Holds the run_id of the server lifetime the cached data belongs to (made with KEY_PREFIX).
SERVER_KEY = "cache-server"


class CircuitBreaker:
    """One Redis location's state in this process: closed (ask Redis), or open (do not ask).

    While it is open, a watcher thread of its own pings Redis every `ping_seconds`, so no
    reader's request waits on a dead or hung Redis after the failure that opened it; the
    outage is logged at most once per `seconds`. Once a ping is answered, the next caller is
    let through alone to recover (cms/cache_outage.py) and close it. Shared by every thread
    of the process.
    """

    def __init__(self, name, seconds, ping, ping_seconds):
        self.name = name
        self.seconds = seconds
        self.ping_seconds = ping_seconds
        self.ping = ping
        self.lock = threading.Lock()
        self.outage_began = None  # time.monotonic() of the first failure; None when closed
        self.next_ping = 0.0
        self.next_log = 0.0
        self.answered = False  # the watcher's ping was answered: one caller may recover
        self.probing = False  # that caller is recovering
        self.watcher = None
        self.failures = 0  # failed attempts in the current outage (tests read it)
        self.local = {}  # made key: (value, kept until): LOCAL_KEYS while open

    @property
    def is_open(self):
        return self.outage_began is not None

    def allow(self):
        """Whether this caller may ask Redis now."""
        if self.outage_began is None:
            return True
        with self.lock:
            if self.outage_began is None:
                return True
            if self.probing or not self.answered:
                return False
            self.probing = True
            return True

    def failed(self, error):
        with self.lock:
            now = time.monotonic()
            began = self.outage_began is None
            if began:
                self.outage_began = now
                self.failures = 0
            self.failures += 1
            self.next_ping = now + self.ping_seconds
            self.answered = self.probing = False
            if self.watcher is None:
                self.watcher = threading.Thread(target=self.watch, daemon=True)
                self.watcher.start()
            if now < self.next_log:
                return
            self.next_log = now + self.seconds
        # At most once per interval: the first failure, then a failed ping now and then.
        logger.warning(
            "The cache at %s %s (%s: %s); serving without it, trying again every %g s.",
            self.name,
            "is unavailable"
            if began
            else f"is still unavailable after {now - self.outage_began:.0f} s",
            type(error).__name__,
            error,
            self.ping_seconds,
        )

    def watch(self):
        """Pings Redis every ping interval until it answers (or the breaker is discarded)."""
        while self.is_open and self in BREAKERS.values():
            time.sleep(max(0.0, self.next_ping - time.monotonic()))
            if self not in BREAKERS.values():
                break  # discarded while asleep (tests forget breakers)
            try:
                self.ping()
            except OUTAGE_ERRORS as error:
                self.failed(error)
                continue
            except Exception:
                logger.exception("Pinging the cache at %s failed.", self.name)
                self.next_ping = time.monotonic() + self.ping_seconds
                continue
            with self.lock:
                self.answered = True
            break
        with self.lock:
            self.watcher = None
            if self.is_open and not self.answered and self in BREAKERS.values():
                # A failure came in while this thread was on its way out.
                self.watcher = threading.Thread(target=self.watch, daemon=True)
                self.watcher.start()

    def keep(self, key, value):
        """Keeps a LOCAL_KEYS value in the process while the breaker is open."""
        if self.is_open:
            self.local[key] = (value, time.monotonic() + self.seconds)

    def kept(self, key, default):
        value, until = self.local.get(key, (default, 0.0))
        return value if time.monotonic() < until else default

    def forget(self, key):
        self.local.pop(key, None)

    def release(self):
        self.probing = False

    def succeeded(self):
        """Closes the breaker; returns the outage's length in seconds if it was open."""
        if self.outage_began is None:
            return None
        with self.lock:
            if self.outage_began is None:
                return None
            length = time.monotonic() - self.outage_began
            self.outage_began = None
            self.answered = self.probing = False
            self.local.clear()
        logger.warning("The cache at %s answers again after %.1f s.", self.name, length)
        return length


BREAKERS = {}
BREAKERS_LOCK = threading.Lock()


def breaker_for(location, seconds, ping, ping_seconds):
    """The process-wide breaker of a Redis location (Django makes a cache object per thread)."""
    with BREAKERS_LOCK:
        if location not in BREAKERS:
            parts = urlsplit(location)
            # Host and port only: a password in the URL never reaches the log.
            name = f"{parts.hostname}:{parts.port or 6379}{parts.path}"
            BREAKERS[location] = CircuitBreaker(name, seconds, ping, ping_seconds)
        return BREAKERS[location]


class HandlerState(threading.local):
    busy = False  # inside a handler call: its own cache calls must not call it again


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, failing open behind a circuit breaker (see the module docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self.location = str(server)
        self.breaker_seconds = float(params.get("BREAKER_SECONDS", 5))
        self.ping_seconds = float(params.get("PING_SECONDS", min(1.0, self.breaker_seconds)))
        handler = params.get("OUTAGE_HANDLER")
        self.handler = import_string(handler) if isinstance(handler, str) else handler
        self.poll_seconds = float(params.get("POLL_SECONDS", 0))
        self.tracked_prefixes = tuple(params.get("TRACKED_KEY_PREFIXES", ()))
        self.local_keys = frozenset(params.get("LOCAL_KEYS", ()))
        self.state = HandlerState()

    @property
    def breaker(self):
        """This process's breaker for the location (looked up each time: tests discard them)."""
        return BREAKERS.get(self.location) or breaker_for(
            self.location,
            self.breaker_seconds,
            lambda: self._cache.get_client(None, write=True).ping(),
            self.ping_seconds,
        )

    @property
    def unavailable(self):
        """Whether this process serves without Redis right now (its breaker is open)."""
        return self.breaker.is_open

    # The core: every operation goes through call().

    def call(self, operation, fallback, lost=()):
        """operation() on Redis, or `fallback` when Redis is unavailable; `lost` are the
        (made) keys whose write is lost if it does not happen."""
        if not self.breaker.allow():
            self.writes_lost(lost)
            return fallback
        try:
            if self.breaker.is_open:
                # The probe: recovery (replaying what was lost, staling what a restarted
                # Redis holds) runs before this operation reads anything.
                self.recover(self.new_lifetime())
            self.before_call()
            return operation()
        except OUTAGE_ERRORS as error:
            self.breaker.failed(error)
            self.writes_lost(lost)
            return fallback
        except BaseException:
            self.breaker.release()  # Redis answered something; a probe must not stay stuck
            raise

    def recover(self, new_lifetime):
        if self.breaker.succeeded() is not None:
            self.notify("recovered", new_lifetime)

    def new_lifetime(self):
        """Redis's run_id if what it holds belongs to another lifetime of the server (it
        restarted, empty or from a snapshot), else None."""
        client = self._cache.get_client(None, write=True)
        run_id = client.info("server")["run_id"]
        marker = client.get(self.make_and_validate_key(SERVER_KEY))
        return None if marker == run_id.encode() else run_id

    def adopt_lifetime(self, run_id):
        """Marks what Redis holds as this lifetime's own: the handler calls it once it has
        staled what was there, so a failure on the way leaves the next look to try again."""
        marker = self.make_and_validate_key(SERVER_KEY)
        self.call(lambda: self._cache.get_client(None, write=True).set(marker, run_id), None)

    def before_call(self):
        # Not while probing an open breaker: a hung Redis would cost the probe twice.
        if (
            self.poll_seconds
            and self.handler is not None
            and not self.state.busy
            and not self.breaker.is_open
        ):
            now = time.monotonic()
            if now >= getattr(self.handler, "next_poll", 0.0):
                self.handler.next_poll = now + self.poll_seconds
                self.notify("reachable", self.new_lifetime())

    def writes_lost(self, keys):
        if keys and self.handler is not None and not self.state.busy:
            self.notify("writes_lost", keys)

    def notify(self, event, *args):
        self.state.busy = True
        try:
            getattr(self.handler, event)(self, *args)
        except Exception:
            logger.exception("The cache's outage handler failed on %s.", event)
        finally:
            self.state.busy = False

    def tracked(self, key, timeout):
        """Whether a lost write of this (made) key must be told: never expires, or tracked."""
        return timeout is None or any(prefix in key for prefix in self.tracked_prefixes)

    def delete_strictly(self, made_keys):
        """Deletes already-made keys, raising on a Redis error: for replaying lost writes."""
        if made_keys:
            try:
                self._cache.delete_many(list(made_keys))
            except OUTAGE_ERRORS as error:
                self.breaker.failed(error)
                raise

    # Django's cache API.

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # A lost add() is no invalidation: it only ever writes a key that was absent.
        key = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        return self.call(lambda: self._cache.add(key, value, timeout), False)

    def add_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        """add() of many keys in one round trip (a pipeline of SET NX); returns how many were
        absent and so written. Not Django's API: cms/caching.py seed_versions() uses it."""
        if not data:
            return 0
        made = {self.make_and_validate_key(key, version=version): v for key, v in data.items()}
        timeout = self.get_backend_timeout(timeout)
        if timeout == 0:
            return 0  # written and gone at once, as add() would
        serializer = self._cache._serializer

        def add_all():
            pipeline = self._cache.get_client(None, write=True).pipeline(transaction=False)
            for key, value in made.items():
                pipeline.set(key, serializer.dumps(value), nx=True, ex=timeout)
            return sum(1 for written in pipeline.execute() if written)

        # Like add(), a lost one is no invalidation: it only ever writes absent keys.
        return self.call(add_all, 0)

    def get(self, key, default=None, version=None):
        made = self.make_and_validate_key(key, version=version)
        found = self.call(lambda: self._cache.get(made, default), UNAVAILABLE)
        if found is UNAVAILABLE:
            return self.breaker.kept(made, default) if key in self.local_keys else default
        return found

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        made = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        lost = [made] if self.tracked(made, timeout) else []
        done = self.call(lambda: self._cache.set(made, value, timeout), UNAVAILABLE, lost)
        if done is UNAVAILABLE and key in self.local_keys:
            self.breaker.keep(made, value)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        timeout = self.get_backend_timeout(timeout)
        return self.call(lambda: self._cache.touch(key, timeout), False)

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        self.breaker.forget(key)
        return self.call(lambda: self._cache.delete(key), False, [key])

    def get_many(self, keys, version=None):
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        found = self.call(lambda: self._cache.get_many(key_map.keys()), {})
        return {key_map[key]: value for key, value in found.items()}

    def has_key(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self.call(lambda: self._cache.has_key(key), False)

    def incr(self, key, delta=1, version=None):
        made = self.make_and_validate_key(key, version=version)
        result = self.call(lambda: self._cache.incr(made, delta), MISSING, [made])
        if result is MISSING:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if not data:
            return []
        safe_data = {self.make_and_validate_key(key, version=version): v for key, v in data.items()}
        timeout = self.get_backend_timeout(timeout)
        lost = [key for key in safe_data if self.tracked(key, timeout)]
        failed = self.call(lambda: self._cache.set_many(safe_data, timeout) or [], MISSING, lost)
        # Django's contract: the keys that were not stored.
        return list(data) if failed is MISSING else []

    def delete_many(self, keys, version=None):
        if not keys:
            return
        safe_keys = [self.make_and_validate_key(key, version=version) for key in keys]
        self.call(lambda: self._cache.delete_many(safe_keys), None, safe_keys)

    def clear(self):
        return self.call(self._cache.clear, False)
