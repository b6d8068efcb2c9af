"""Production: every deployment-specific value comes from the environment; nothing is invented."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import connections_kept_open, database_fails_fast, env_list, redis_cache


def required(name):
    """The value of a required environment variable; refusing to start without it."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable for production.")
    return value


DEBUG = False
SECRET_KEY = required("SECRET_KEY")
# Each worker keeps its database connection between requests. A copy: base's dict is the
# one every other settings module holds.
DATABASES = connections_kept_open(DATABASES)  # noqa: F405
# A database that does not answer fails a request in seconds (a 503, cms/unavailable.py).
DATABASES = database_fails_fast(DATABASES)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or [required("ALLOWED_HOSTS")]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() == "true"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Those who can publish sign in with a second step (cms/two_factor.py); "false" to opt out.
NEWS_REQUIRE_2FA = os.environ.get("NEWS_REQUIRE_2FA", "true").lower() == "true"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "false").lower() == "true"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

if redis_url := os.environ.get("REDIS_URL"):
    # The cache accelerates, it never takes readers down: a Redis error is a miss
    # (cms/cache_backend.py), and sessions live in the database with Redis in front, so
    # editors stay signed in when Redis restarts and the admin works while it is down.
    CACHES = {**CACHES, "default": redis_cache(redis_url)}  # noqa: F405
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Without a shared cache each worker would keep its own copy and miss other workers'
    # invalidations, so responses are not cached server-side (HTTP caching headers remain).
    NEWS_CACHE_TIMEOUT = 0
    NEWS_FRAGMENT_CACHE_TIMEOUT = 0

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- Static files -------------------------------------------------------------------------
# WhiteNoise serves collected static files from the app server, under content-hashed names
# (cacheable for ever) with gzip copies; run `manage.py collectstatic` at deploy time.
MIDDLEWARE = [*MIDDLEWARE]  # noqa: F405 - a copy: base's list stays as it is
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- CDN purge (Wagtail's frontend cache) ---------------------------------------------------
# Each publish, unpublish, move or delete purges every URL that shows the page
# (news/dependencies.py) from whichever of these is configured:
#   CDN_PURGE_URL                     Varnish/nginx: HTTP PURGE sent there (comma-separated)
#   CLOUDFLARE_ZONE_ID                with CLOUDFLARE_API_TOKEN, or CLOUDFLARE_EMAIL + _API_KEY
#   CLOUDFRONT_DISTRIBUTION_ID        AWS credentials from boto3's usual chain (env, role)
#   CDN_HOSTNAMES                     only purge URLs on these hosts (default: every host)
FRONTEND_CACHE_BACKEND = "wagtail.contrib.frontend_cache.backends.{}"
frontend_caches = {}
for number, location in enumerate(env_list("CDN_PURGE_URL"), start=1):
    frontend_caches[f"http-{number}"] = {
        "BACKEND": FRONTEND_CACHE_BACKEND.format("HTTPBackend"),
        "LOCATION": location,
    }
if cloudflare_zone := os.environ.get("CLOUDFLARE_ZONE_ID"):
    if token := os.environ.get("CLOUDFLARE_API_TOKEN"):
        credentials = {"BEARER_TOKEN": token}
    else:
        credentials = {
            "EMAIL": required("CLOUDFLARE_EMAIL"),
            "API_KEY": required("CLOUDFLARE_API_KEY"),
        }
    frontend_caches["cloudflare"] = {
        "BACKEND": FRONTEND_CACHE_BACKEND.format("CloudflareBackend"),
        "ZONEID": cloudflare_zone,
        **credentials,
    }
if cloudfront_distribution := os.environ.get("CLOUDFRONT_DISTRIBUTION_ID"):
    frontend_caches["cloudfront"] = {
        "BACKEND": FRONTEND_CACHE_BACKEND.format("CloudfrontBackend"),
        "DISTRIBUTION_ID": cloudfront_distribution,
    }
if cdn_hostnames := env_list("CDN_HOSTNAMES"):
    for backend in frontend_caches.values():
        backend["HOSTNAMES"] = cdn_hostnames
if frontend_caches:
    WAGTAILFRONTENDCACHE = frontend_caches

# --- Background tasks -----------------------------------------------------------------------
# Wagtail's tasks (reference index, search index, frontend-cache purge, image focal points)
# and ours (workflow emails, rendition warm-up) are stored in the database and run by
# `manage.py db_worker` (django-tasks-db). TASKS_BACKEND names another django-tasks backend
# (e.g. a broker-backed one) without code changes.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Media files ----------------------------------------------------------------------------
# Uploads (original images, renditions, documents) go to S3-compatible storage through
# django-storages when AWS_STORAGE_BUCKET_NAME is set, and to MEDIA_ROOT on local disk
# otherwise. Credentials come from boto3's usual chain (AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY, or an instance role); AWS_S3_ENDPOINT_URL points at MinIO, Ceph,
# R2 and the like.
if media_bucket := os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES = {
        **STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": media_bucket,
                "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
                "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
                "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
                "location": os.environ.get("AWS_LOCATION", ""),
                # Published pictures are public: plain URLs that CDNs and browsers can cache.
                "querystring_auth": os.environ.get("AWS_QUERYSTRING_AUTH", "false") == "true",
                # Never replace an existing file that another rendition or revision uses.
                "file_overwrite": False,
            },
        },
    }
# Without a bucket the pictures stay in MEDIA_ROOT, and gunicorn serves those under
# MEDIA_URL itself (cms/media.py: renditions and originals only, never documents), so a
# single machine works as it is. With nginx in front serving MEDIA_ROOT/images/, set
# NEWS_SERVE_MEDIA=false.
NEWS_SERVE_MEDIA = not media_bucket and os.environ.get("NEWS_SERVE_MEDIA", "true").lower() == "true"

# --- Compression ----------------------------------------------------------------------------
# HTML, JSON and feeds leave gunicorn gzipped when the client accepts it, so a machine with
# no compressing proxy in front still sends small pages; static files come pre-compressed
# from WhiteNoise, which answers before this. BREACH and the admin: cms/compression.py.
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "cms.compression.CompressionMiddleware",
)
