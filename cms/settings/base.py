"""Settings shared by every deployment; what differs by deployment comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def connections_kept_open(databases):
    """`databases` (a copy) with the default connection kept open between requests for
    DATABASE_CONN_MAX_AGE seconds (default 60), as production and its benchmarks run: a new
    PostgreSQL connection costs a request about as much as the search it runs
    (benchmarks/README.md). CONN_HEALTH_CHECKS (DATABASES below) checks it before a request
    reuses it, so a restarted database fails no request."""
    kept = {
        **databases["default"],
        "CONN_MAX_AGE": int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    }
    return {**databases, "default": kept}


def database_fails_fast(databases):
    """`databases` (a copy) whose PostgreSQL connection gives up in DATABASE_CONNECT_TIMEOUT
    seconds (default 5) rather than holding the worker until the proxy does: on connecting,
    and on a kept connection whose server or network went silent (TCP keepalives, and
    tcp_user_timeout: how long sent data may go unacknowledged, in ms)."""
    default = databases["default"]
    if default["ENGINE"] != "django.db.backends.postgresql":
        return databases
    seconds = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
    options = {
        **default.get("OPTIONS", {}),
        "connect_timeout": seconds,
        "keepalives": 1,
        "keepalives_idle": seconds,
        "keepalives_interval": 1,
        "keepalives_count": 3,
        "tcp_user_timeout": seconds * 1000,
    }
    return {**databases, "default": {**default, "OPTIONS": options}}


def env_list(name, default=""):
    """A comma-separated environment variable as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


INSTALLED_APPS = [
    # The project's own little state: cache writes lost in a Redis outage (cms/models.py).
    "cms",
    "home",
    "news",
    "search",
    "wire",
    "webhooks",
    "wagtail.api.v2",
    "wagtail.api.v3",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.redirects",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    # Background tasks in the database: the backend and worker production uses (TASKS).
    "django_tasks_db",
    "ninja",
    "taggit",
    "django_filters",
    # Not "rest_framework": API v2 is DRF views, but without the app Wagtail leaves out DRF's
    # browsable HTML renderer (wagtail/api/v2/views.py), so v2 answers JSON only; README
    # "Security".
    "corsheaders",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "axes",
    "csp",
    # Two-factor sign-in to the admin (cms/two_factor.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    # /healthz and /readyz answer load balancers before host checks and HTTPS redirects.
    "cms.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cms.two_factor.TwoFactorMiddleware",
    "cms.caching.AnonymousCacheMiddleware",
    "search.query_guard.SearchQueryGuardMiddleware",
    "cms.api_guards.QueryParameterGuardMiddleware",
    # 413 for API bodies over DATA_UPLOAD_MAX_MEMORY_SIZE (plus one upload's size).
    "cms.request_size.RequestBodySizeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "news.editorial.middleware.SecondReadMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before the redirects middleware, so a redirect wins over "410 Gone" (news/middleware.py).
    "news.middleware.GoneMiddleware",
    "news.redirects.LiveRedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# SQLite is the embedded default; any deployment names its database in DATABASE_URL,
# e.g. postgres://user:password@127.0.0.1:5432/newsroom
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Renditions are fetched with the images that show them (prefetch_renditions), so Wagtail's
# rendition cache would only add a write per picture per request; "default" is overridden
# per deployment.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "renditions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}


def redis_cache(location, key_prefix=""):
    """The "default" cache on Redis: fails open behind a breaker (cms/cache_backend.py).

    Short timeouts: a hung Redis costs a process one NEWS_CACHE_READ_TIMEOUT per outage,
    never a request's worth of waits; it is pinged every NEWS_CACHE_PING_SECONDS and the
    outage logged at most once per NEWS_CACHE_BREAKER_SECONDS.
    """
    return {
        "BACKEND": "cms.cache_backend.ResilientRedisCache",
        "LOCATION": location,
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {
            "socket_connect_timeout": float(os.environ.get("NEWS_CACHE_CONNECT_TIMEOUT", "0.1")),
            "socket_timeout": float(os.environ.get("NEWS_CACHE_READ_TIMEOUT", "0.25")),
        },
        "BREAKER_SECONDS": float(os.environ.get("NEWS_CACHE_BREAKER_SECONDS", "5")),
        # While Redis is away a thread pings it this often (no reader waits on a ping).
        "PING_SECONDS": float(os.environ.get("NEWS_CACHE_PING_SECONDS", "1")),
        "OUTAGE_HANDLER": "cms.cache_outage.handler",
        "POLL_SECONDS": 1,
        # cached_db sessions: a logout lost in an outage is replayed when Redis answers.
        "TRACKED_KEY_PREFIXES": ["django.contrib.sessions.cached_db"],
        # Read by every request: each process keeps its own copy while Redis is away.
        "LOCAL_KEYS": ["wagtail_site_root_paths"],
    }


# What runs when the cache comes back as another lifetime of the server (restarted, perhaps
# from an old snapshot; cms/cache_outage.py): stale everything it holds. A Redis that comes
# back with its own data (frozen, partitioned) only has the writes lost meanwhile replayed.
# Then give every name readers can be shown a version at once, so the first page built after
# it is kept (a reader who finds a version missing cannot keep what it built).
NEWS_CACHE_RECOVERY_HOOKS = [
    "cms.caching.stale_the_cache",
    "news.dependencies.seed_every_version",
]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
# Whether the app itself serves pictures from MEDIA_ROOT at MEDIA_URL (cms/media.py): on in
# production without a bucket, unless NEWS_SERVE_MEDIA=false (a proxy serves them); DEBUG
# serves all media through Django's static view instead.
NEWS_SERVE_MEDIA = False
# Where production's gzip (cms/compression.py) never compresses: pages with CSRF tokens.
NEWS_UNCOMPRESSED_PATH_PREFIXES = ("/admin/", "/django-admin/")
NEWS_MEDIA_MAX_AGE = int(os.environ.get("NEWS_MEDIA_MAX_AGE", str(60 * 60 * 24 * 30)))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The page editor of a long article with many blocks posts more than Django's 1000 fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("WAGTAIL_SITE_NAME", "The Daily Ledger")
# The home page's <meta name="description"> when the editors gave it no search description.
NEWS_SITE_DESCRIPTION = os.environ.get(
    "NEWS_SITE_DESCRIPTION", "Independent news, checked twice: the latest stories by section."
)
# No Gravatar: an offline newsroom never reaches it (broken images), and it would tell an
# outside service who works in the admin. Avatars are the admin's own default picture,
# unless a user uploads one in their account settings.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Search: Wagtail's database backend, which is SQLite FTS5 on SQLite and PostgreSQL full-text
# search with English stemming on PostgreSQL. WAGTAILSEARCH_URL (comma-separated URLs) moves
# it to Elasticsearch or OpenSearch; WAGTAILSEARCH_ENGINE names which (the Python client must
# be installed, e.g. `pip install "elasticsearch>=8,<9"`); run `manage.py update_index` after.
SEARCH_ENGINES = (
    "elasticsearch7",
    "elasticsearch8",
    "elasticsearch9",
    "opensearch2",
    "opensearch3",
)
if search_urls := env_list("WAGTAILSEARCH_URL"):
    search_engine = os.environ.get("WAGTAILSEARCH_ENGINE", "elasticsearch8")
    if search_engine not in SEARCH_ENGINES:
        raise ImproperlyConfigured(
            f"WAGTAILSEARCH_ENGINE is {search_engine!r}; use one of {', '.join(SEARCH_ENGINES)}."
        )
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": f"wagtail.search.backends.{search_engine}",
            "URLS": search_urls,
            "INDEX": os.environ.get("WAGTAILSEARCH_INDEX", "newsroom"),
            "TIMEOUT": 5,
            "OPTIONS": {},
            "INDEX_SETTINGS": {},
        }
    }
else:
    WAGTAILSEARCH_BACKENDS = {
        # Wagtail's database backend; on PostgreSQL its ranking stops at the newest matches
        # (search/backend.py).
        "default": {"BACKEND": "search.backend", "SEARCH_CONFIG": "english"},
    }
# Documents are served only through Wagtail's view, which checks collection privacy; the
# web server must never serve MEDIA_ROOT/documents/ directly (see README, production).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 15 * 1024 * 1024
# The image form with the picture's rights: licence, usage terms, expiry (news/pictures.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "news.pictures.ImageRightsForm"
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 64_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# Headless API (v2 at /api/v2/, v3 at /api/v3/)
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
WAGTAILAPI_LIMIT_MAX = 100
WAGTAILAPI_SEARCH_ENABLED = True
# Page URLs in API output use the site's root URL; renditions use WAGTAILADMIN_BASE_URL.
if os.environ.get("WAGTAILAPI_BASE_URL"):
    WAGTAILAPI_BASE_URL = os.environ["WAGTAILAPI_BASE_URL"]

# Front ends on other origins may read the API, e.g. "https://www.example.com,http://localhost:3000".
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"

# Anonymous reader pages and API reads are cached server-side (see cms/caching.py) and by
# browsers/CDNs. Reader pages live anywhere in the page tree, so everything is cached except
# the admin, reader search results (one entry per query would only fill the cache), documents
# (served after their own permission check), files and health checks.
NEWS_API_PATH_PREFIXES = ("/api/v2/", "/api/v3/")
NEWS_CACHED_PATH_PREFIXES = ("/",)
NEWS_UNCACHED_PATH_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/search/",
    "/documents/",
    "/static/",
    "/media/",
    "/healthz",
    "/readyz",
)
# The query parameters each path's cache key keeps (sorted), by path prefix, first match
# wins; a request with any other is answered but not stored (cms/caching.py). Wagtail's "_"
# (jQuery's cache buster) is left out on purpose.
NEWS_API_PAGE_PARAMETERS = (
    *("type", "fields", "limit", "offset", "order", "search", "search_operator"),
    *("child_of", "ancestor_of", "descendant_of", "translation_of", "locale", "site"),
    *("tags", "author", "published_after", "published_before", "autocomplete"),
    *("rich_text_format", "html_path", "version", "id", "slug", "title"),
    *("first_published_at", "last_published_at", "show_in_menus", "seo_title"),
)
NEWS_CACHE_QUERY_PARAMETERS = (
    # A live blog's posts (news/api/live.py): readers polling with the same ?since= share one.
    ("/api/v2/live_blogs/", ("since", "limit", "offset")),
    ("/api/v3/live_blogs/", ("since", "limit", "offset")),
    ("/api/v2/pages/", NEWS_API_PAGE_PARAMETERS),
    ("/api/v3/pages/", NEWS_API_PAGE_PARAMETERS),
    ("/api/", ("fields", "limit", "offset", "order", "search", "search_operator", "type")),
    ("/feeds/", ()),
    ("/sitemap", ("p",)),
    ("/", ("page",)),
)
NEWS_CACHE_TIMEOUT = int(os.environ.get("NEWS_CACHE_TIMEOUT", "300"))
NEWS_CACHE_MAX_AGE = int(os.environ.get("NEWS_CACHE_MAX_AGE", "60"))
# Shorter for what readers poll: a live blog's posts (a CDN asks again after this many
# seconds; the server answers from its cache, or 304). By path prefix.
NEWS_CACHE_SHORT_MAX_AGE = (("/api/v2/live_blogs/", 2), ("/api/v3/live_blogs/", 2))
# Seconds the API keeps each live article's whole representation (news/api/kept.py), its
# related-article cards (news/api/representation.py) and the newest stories per tag
# (news/related.py) for reuse by responses that are not themselves cached; 0 turns it off.
NEWS_FRAGMENT_CACHE_TIMEOUT = int(os.environ.get("NEWS_FRAGMENT_CACHE_TIMEOUT", "300"))
# While Redis is away, each process keeps the responses it builds for itself, at most this
# many (and NEWS_OUTAGE_KEEP_BYTES of them) for this many seconds each, checked against the
# database's log of version changes, whose rows are pruned after NEWS_OUTAGE_LOG_SECONDS
# (cms/outage_keep.py); 0 turns it off. Every process that makes changes must log them: set
# these alike everywhere.
NEWS_OUTAGE_KEEP_SECONDS = int(os.environ.get("NEWS_OUTAGE_KEEP_SECONDS", "60"))
NEWS_OUTAGE_KEEP_ENTRIES = int(os.environ.get("NEWS_OUTAGE_KEEP_ENTRIES", "1000"))
NEWS_OUTAGE_KEEP_BYTES = int(os.environ.get("NEWS_OUTAGE_KEEP_BYTES", str(64 * 1024 * 1024)))
NEWS_OUTAGE_LOG_SECONDS = int(os.environ.get("NEWS_OUTAGE_LOG_SECONDS", "600"))

# Headless preview (news/preview.py): with a URL set, the admin's Preview opens the front end
# there with ?content_type=…&token=…; the token and the previewed state live this many seconds.
HEADLESS_PREVIEW_URL = os.environ.get("HEADLESS_PREVIEW_URL", "")
HEADLESS_PREVIEW_TTL = int(os.environ.get("HEADLESS_PREVIEW_TTL", "600"))

# "Port Ellis" and "port ellis" are one tag, so related articles are not split by case.
TAGGIT_CASE_INSENSITIVE = True

# The newsroom
NEWS_ARTICLES_PER_PAGE = 12
# Posts per page of a live blog (its reader page and its posts endpoints' default limit), and
# how often readers' pages ask for new posts while it is live (milliseconds).
NEWS_LIVE_POSTS_PER_PAGE = 20
NEWS_LIVE_POLL_INTERVAL = int(os.environ.get("NEWS_LIVE_POLL_INTERVAL", "5000"))
# Demo logins are created by load_demo only where this is on (cms.settings.dev).
NEWS_DEMO_USERS = False
# The second-read rule: nobody puts live a change they wrote that no one else approved.
# Turn on only for a newsroom of one (see news/editorial/second_read.py).
NEWS_ALLOW_SELF_APPROVAL = False

# Two-factor sign-in (cms/two_factor.py): required for those who can publish when on.
NEWS_REQUIRE_2FA = os.environ.get("NEWS_REQUIRE_2FA", "").lower() == "true"
NEWS_ADMIN_PATH_PREFIX = "/admin/"
OTP_TOTP_ISSUER = os.environ.get("WAGTAIL_SITE_NAME", "The Daily Ledger")

# Webhooks (webhooks/): seconds one delivery attempt may take, how long a rotated secret
# still signs, and whether endpoints may be on loopback or private addresses (tests, a
# receiver on the same private network).
NEWS_WEBHOOKS_TIMEOUT = float(os.environ.get("NEWS_WEBHOOKS_TIMEOUT", "5"))
NEWS_WEBHOOKS_SECRET_GRACE = int(os.environ.get("NEWS_WEBHOOKS_SECRET_GRACE", str(24 * 3600)))
NEWS_WEBHOOKS_ALLOW_PRIVATE = os.environ.get("NEWS_WEBHOOKS_ALLOW_PRIVATE", "").lower() == "true"
# Workflow emails go to the Desk review group (Editors) and the story's author, not to
# every superuser (news/editorial/notifications.py).
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False

# The wire desk (wire/): agency copy in IPTC ninjs comes in as drafts for review.
# Stories are filed in this section (a slug) unless `--section` / `?section=` names another.
NEWS_WIRE_DEFAULT_SECTION = os.environ.get("NEWS_WIRE_DEFAULT_SECTION", "")
# The user the ingest_wire command files stories as (created in the "Wire desk" group).
NEWS_WIRE_USERNAME = os.environ.get("NEWS_WIRE_USERNAME", "wire")
# Byline names that are news agencies (Authors of kind "agency"), with their aliases.
NEWS_WIRE_AGENCIES = {
    "AFP": ["Agence France-Presse", "Agence France Presse"],
    "AP": ["Associated Press", "The Associated Press"],
    "dpa": ["Deutsche Presse-Agentur"],
    "Reuters": ["Thomson Reuters"],
    "ANSA": [],
    "EFE": ["Agencia EFE"],
    "NTB": ["Norsk Telegrambyrå"],
    "PA": ["PA Media", "Press Association"],
    "TT": ["TT Nyhetsbyrån"],
    "Kyodo": ["Kyodo News"],
    "Xinhua": [],
    "UPI": ["United Press International"],
    "Bloomberg": [],
    "Business Wire": [],
}
# Agency pictures: seconds for a whole download, and (when set) the only hosts to fetch
# from, e.g. "photos.example-agency.com,cdn.example.net". Size and pixel limits are
# WAGTAILIMAGES_MAX_UPLOAD_SIZE and WAGTAILIMAGES_MAX_IMAGE_PIXELS.
NEWS_WIRE_PICTURE_TIMEOUT = int(os.environ.get("NEWS_WIRE_PICTURE_TIMEOUT", "10"))
NEWS_WIRE_PICTURE_HOSTS = [host.lower() for host in env_list("NEWS_WIRE_PICTURE_HOSTS")]
# The most items one push to /api/v3/wire/ninjs/ may carry (its body is at most
# DATA_UPLOAD_MAX_MEMORY_SIZE bytes, Django's 2.5 MB by default).
NEWS_WIRE_MAX_ITEMS = 100

# Security (cms/security.py; README "Security"). Production adds HTTPS-only cookies and HSTS.
# Admin login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one
# username from one address, that pair is locked out for AXES_COOLOFF_TIME hours (429).
# Axes' backend comes first; it only refuses locked-out attempts, the next one logs in.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_TIME", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client's address behind NEWS_TRUSTED_PROXY_COUNT reverse proxies (0: REMOTE_ADDR).
NEWS_TRUSTED_PROXY_COUNT = int(os.environ.get("NEWS_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "cms.security.client_ip"

# API v3 bearer tokens stop working this many days after they are issued (0: never);
# `manage.py rotate_api_token` issues a successor and revokes the old one (cms/api_tokens.py).
NEWS_API_TOKEN_LIFETIME = int(os.environ.get("NEWS_API_TOKEN_LIFETIME", "90"))

# Content-Security-Policy (django-csp) on every reader page: no inline script at all. The
# JSON-LD blocks are data blocks (type="application/ld+json"), which browsers never execute,
# so script-src does not apply to them (HTML "prepare the script element" stops for a data
# block before any CSP check). The Wagtail admin needs inline script and style, so it and
# Django's admin keep their own (no) policy, as do the API's interactive docs.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/", "/api/v3/docs"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # templates/500.html keeps its own style, allowed by its hash (checked in test_csp.py).
        "style-src": ["'self'", "'sha256-VA7LVc0FvTPOkXQ5f1cpZseGCDptaqnIlnb/GtJ9IUw='"],
        # Renditions may be served from a CDN or object store (MEDIA_URL); embeds are iframes.
        "img-src": ["'self'", "data:", "https:"],
        "frame-src": ["https:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        # No one frames reader pages (the admin's preview is under /admin/, excluded).
        "frame-ancestors": ["'none'"],
    },
}
# Browsers and proxies must not sniff a document or image into HTML; referrers stay on site.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# DENY everywhere: the admin's live preview frames its own views, which Wagtail marks
# SAMEORIGIN itself (xframe_options_sameorigin_override).
X_FRAME_OPTIONS = "DENY"
