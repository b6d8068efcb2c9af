"""Local development: `make run` serves this with SQLite and the demo newsroom."""

from .base import *  # noqa: F403

DEBUG = True
# Development only: a fixed key so sessions survive restarts. Production requires SECRET_KEY.
SECRET_KEY = "django-insecure-dev-only-newsroom-key"  # noqa: S105
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
NEWS_DEMO_USERS = True
