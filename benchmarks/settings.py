"""Settings for benchmark servers: production-like (DEBUG off) plus a trivial baseline view."""

import os

from cms.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "benchmark-only-key")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "benchmarks.urls"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1"
# As production keeps them (cms/settings/production.py): a connection per worker.
DATABASES = connections_kept_open(DATABASES)  # noqa: F405
if redis_url := os.environ.get("REDIS_URL"):
    # Production's cache: fails open behind a breaker (cms/cache_backend.py).
    CACHES = {
        **CACHES,  # noqa: F405
        "default": redis_cache(redis_url, os.environ.get("NEWS_CACHE_KEY_PREFIX", "")),  # noqa: F405
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "ERROR"}}
