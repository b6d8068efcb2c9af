"""CDN purges as background tasks that are retried, with backoff, until the CDN takes them.

`purge_urls(urls)` queues one task (TASKS: django-tasks-db in production, so a purge waits in
the database while the worker is down and runs when it returns). The task purges through
each configured frontend-cache backend (WAGTAILFRONTENDCACHE) on its own; a backend that
fails is queued again, with only its URLs, after RETRY_DELAYS[attempt] seconds.

Wagtail's backends report a failed purge (HTTP error, unreachable Varnish, Cloudflare or
CloudFront error) in the "wagtail.frontendcache" log rather than raising, so a purge
counts as failed when it raises or logs an error.
"""

import datetime
import logging
import threading

from django.utils import timezone
from django_tasks import task
from django_tasks.exceptions import InvalidTaskError

logger = logging.getLogger(__name__)

# Seconds before each retry: about two hours in all, then the purge is given up (logged);
# the CDN's own max-age (NEWS_CACHE_MAX_AGE) ends the stale copy by then anyway.
RETRY_DELAYS = (10, 30, 60, 120, 300, 600, 1200, 1800, 3600)


def purge_urls(urls):
    """Queues a purge of these URLs from every configured CDN."""
    urls = sorted(set(urls))
    if urls:
        purge_urls_task.enqueue(urls)


class ErrorsLogged(logging.Handler):
    """Collects the error records this thread logs while it is installed on the root logger."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.thread = threading.get_ident()
        self.records = []

    def emit(self, record):
        if record.thread == self.thread:
            self.records.append(record)

    def __enter__(self):
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *exc):
        logging.getLogger().removeHandler(self)


def purge_through(backend_name, urls):
    """Purges urls through one backend; returns whether it worked."""
    from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task

    with ErrorsLogged() as errors:
        try:
            purge_urls_from_cache_task.call(urls, None, [backend_name])
        except Exception:
            logger.exception("CDN purge through %s failed", backend_name)
            return False
    return not errors.records


@task()
def purge_urls_task(urls, backends=None, attempt=0):
    """Purges urls through `backends` (default: every configured one); queues the failed
    ones again. Returns the names of the backends that failed."""
    from wagtail.contrib.frontend_cache.utils import get_backends

    names = [name for name in get_backends() if backends is None or name in backends]
    failed = [name for name in names if not purge_through(name, urls)]
    if failed:
        retry(urls, failed, attempt)
    return failed


def retry(urls, backends, attempt):
    if attempt >= len(RETRY_DELAYS):
        logger.error("CDN purge through %s given up after %d tries: %s", backends, attempt, urls)
        return
    delay = RETRY_DELAYS[attempt]
    if not purge_urls_task.get_backend().supports_defer:
        # The immediate backend (dev, tests) cannot wait; retrying now would only fail again.
        logger.error("CDN purge through %s failed; this task backend cannot retry later", backends)
        return
    run_after = timezone.now() + datetime.timedelta(seconds=delay)
    try:
        purge_urls_task.using(run_after=run_after).enqueue(urls, backends, attempt + 1)
    except InvalidTaskError:
        logger.exception("CDN purge through %s could not be queued again", backends)
        return
    logger.warning("CDN purge through %s failed; retrying in %d s", backends, delay)
