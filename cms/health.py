"""Health endpoints for load balancers: /healthz (the process answers) and /readyz (it can serve).

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


READINESS_CHECKS = {"database": database_answers, "cache": cache_answers}


def readiness():
    """{check name: "ok" or "unavailable"}; the error itself is logged, never shown."""
    results = {}
    for name, check in READINESS_CHECKS.items():
        try:
            check()
        except Exception:  # any failure means "not ready"
            logger.exception("readyz: the %s is unavailable", name)
            results[name] = "unavailable"
        else:
            results[name] = "ok"
    return results


def healthz(request):
    return JsonResponse({"status": "ok"})


def readyz(request):
    results = readiness()
    failed = [name for name, result in results.items() if result != "ok"]
    body = {"status": "unavailable" if failed else "ok", "checks": results}
    if failed:
        body["failed"] = failed
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
