"""Health endpoints for load balancers: /healthz (the process answers) and /readyz (it can serve).

/readyz fails only without the database; a cache that does not answer is "degraded".

They answer before any other middleware, so a probe by IP address is not refused by
ALLOWED_HOSTS, redirected to HTTPS, given a session or cached.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

READY_KEY = "newsroom:readyz"


def database_answers():
    for connection in connections.all():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")


def cache_answers():
    token = uuid.uuid4().hex
    cache.set(READY_KEY, token, timeout=10)
    if cache.get(READY_KEY) != token:
        raise RuntimeError("the cache did not return what was stored")


# (name, check, what a failure means): only the database is required; without the cache
# an instance serves everything from the database, slower (cms/cache_backend.py).
READINESS_CHECKS = [
    ("database", database_answers, "unavailable"),
    ("cache", cache_answers, "degraded"),
]


def readiness():
    """{check name: "ok", "unavailable" or "degraded"}; the error itself is logged, never shown."""
    results = {}
    for name, check, failure in READINESS_CHECKS:
        try:
            check()
        except Exception:  # any failure means "not ready" or "degraded"
            logger.warning("readyz: the %s is %s", name, failure, exc_info=True)
            results[name] = failure
        else:
            results[name] = "ok"
    return results


def healthz(request):
    return JsonResponse({"status": "ok"})


def readyz(request):
    """200 while the instance can serve (status "ok", or "degraded" without the cache);
    503 when it cannot (the database does not answer)."""
    results = readiness()
    failed = [name for name, result in results.items() if result == "unavailable"]
    degraded = [name for name, result in results.items() if result == "degraded"]
    status = "unavailable" if failed else "degraded" if degraded else "ok"
    body = {"status": status, "checks": results}
    if failed:
        body["failed"] = failed
    if degraded:
        body["degraded"] = degraded
    return JsonResponse(body, status=503 if failed else 200)


ENDPOINTS = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """Answers /healthz and /readyz (GET or HEAD) itself; must come first in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        endpoint = ENDPOINTS.get(request.path.rstrip("/"))
        if endpoint is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        response = endpoint(request)
        add_never_cache_headers(response)
        return response
