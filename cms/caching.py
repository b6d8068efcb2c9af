"""Caching of anonymous responses, with invalidation by a site-wide content version.

Every publish, unpublish, move or delete of a page (and every change to an author) bumps
one content version. Cached responses are keyed by that version, so nothing published
before the change is served after it — including an article that only appears as a
related article or in a listing. `Last-Modified` is the time of that change, and `ETag`
a digest of the body, so a conditional GET answers 304.

The middleware serves and stores only anonymous GET/HEAD requests to reader pages and API
reads (paths under `NEWS_CACHED_PATH_PREFIXES` and not under `NEWS_UNCACHED_PATH_PREFIXES`):
no Authorization header, no logged-in user, no preview token. Responses to anyone else get
`Cache-Control: private, no-cache` and are never stored.
"""

import hashlib
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

VERSION_KEY = "newsroom:content-version"
RESPONSE_KEY = "newsroom:response:{version}:{digest}"
# Headers a cached response carries back; the rest is recomputed per request.
STORED_HEADERS = ("Content-Type", "Content-Language", "Allow")


# The version a request read as it began (AnonymousCacheMiddleware): what the request
# builds and keeps is keyed by a version no newer than the data it then reads.
request_version = ContextVar("newsroom_request_content_version", default=None)


def content_version():
    """The current content version: the time (ns since the epoch) content last changed.

    Within a request, the version read when it began.
    """
    version = request_version.get()
    if version is not None:
        return version
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        # add(): another process may have set it meanwhile, and theirs must win.
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY, version)
    return version


def bump_content_version():
    """Mark all cached responses stale; returns the new version.

    Inside a transaction it bumps again on commit: a reader who came between the first bump
    and the commit saw the old rows under the new version, and what it cached must go too.
    """
    version = new_content_version()
    if connection.in_atomic_block:
        # robust: the change has committed; a cache error must not turn it into a 500 or
        # skip the other commit hooks (search index, CDN purge).
        transaction.on_commit(new_content_version, robust=True)
    return version


def new_content_version():
    version = max(time.time_ns(), (cache.get(VERSION_KEY) or 0) + 1)
    cache.set(VERSION_KEY, version, timeout=None)
    if request_version.get() is not None:
        request_version.set(version)
    return version


class VersionedMemo:
    """Values one process computes once per content version: every change that could alter
    them bumps it (a Site by host name, the view restrictions). Saves a query per request.
    Off, like the API's other keeps, when NEWS_FRAGMENT_CACHE_TIMEOUT is 0 (production
    without a shared cache, where one process would not see another's bump).

        sites = VersionedMemo()
        site = sites.get(("news.example.com", 443), lambda: find_the_site())
    """

    def __init__(self, size=256):
        self.size = size
        self.clear()

    def clear(self):
        self.state = (None, {})

    def get(self, key, compute):
        if not settings.NEWS_FRAGMENT_CACHE_TIMEOUT:
            return compute()
        version = content_version()
        held, values = self.state
        if held != version:
            values = {}
            # One assignment: a thread still holding the old dict only fills a discarded one.
            self.state = (version, values)
        if key in values:
            return values[key]
        value = compute()
        if len(values) >= self.size:
            values.clear()
        values[key] = value
        return value


def is_anonymous_request(request):
    user = getattr(request, "user", None)
    return (
        "HTTP_AUTHORIZATION" not in request.META
        and not (user is not None and user.is_authenticated)
        and "token" not in request.GET
    )


def is_cacheable_path(path):
    """Reader pages and API reads are; the admin, reader search results and the like are not."""
    return path.startswith(settings.NEWS_CACHED_PATH_PREFIXES) and not path.startswith(
        settings.NEWS_UNCACHED_PATH_PREFIXES
    )


SITES = VersionedMemo()
VIEW_RESTRICTIONS = VersionedMemo(size=1)


def remember_site(request):
    """Gives the request (an HttpRequest or DRF's Request) its Wagtail Site from this
    process's memo, so Site.find_for_request() finds it without a query."""
    from django.http.request import split_domain_port
    from wagtail.models import Site

    http_request = getattr(request, "_request", request)
    if "_wagtail_site" not in vars(http_request):
        host = (split_domain_port(http_request._get_raw_host())[0], http_request.get_port())
        site = SITES.get(host, lambda: Site._find_for_request(http_request))
        http_request._wagtail_site = site
    if request is not http_request:
        request._wagtail_site = http_request._wagtail_site


def view_restrictions():
    """Every page view restriction with its page, read once per process and content version."""
    from wagtail.models import PageViewRestriction

    return VIEW_RESTRICTIONS.get(
        None, lambda: list(PageViewRestriction.objects.select_related("page"))
    )


class AnonymousCacheMiddleware:
    """Serves anonymous reads from the cache and adds Cache-Control, ETag and Last-Modified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not is_cacheable_path(request.path):
            return self.get_response(request)

        anonymous = is_anonymous_request(request)
        version = content_version()
        token = request_version.set(version)
        try:
            key = None
            response = None
            if anonymous and settings.NEWS_CACHE_TIMEOUT:
                digest = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
                key = RESPONSE_KEY.format(version=version, digest=digest)
                response = self.from_cache(key)

            if response is None:
                response = self.get_response(request)
                if key and self.should_store(response):
                    self.store(key, response)
        finally:
            request_version.reset(token)

        return self.finish(request, response, anonymous=anonymous, version=version)

    @staticmethod
    def should_store(response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and "private" not in cache_control
            and "no-store" not in cache_control
            and not response.cookies
        )

    @staticmethod
    def store(key, response):
        headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
        cache.set(key, (response.content, headers), settings.NEWS_CACHE_TIMEOUT)

    @staticmethod
    def from_cache(key):
        cached = cache.get(key)
        if cached is None:
            return None
        content, headers = cached
        response = HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        response["X-Cache"] = "hit"
        return response

    @staticmethod
    def finish(request, response, *, anonymous, version):
        if response.status_code != 200 or response.streaming:
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, no_cache=True)
            return response

        # A view's own ETag (a page revision's, cms/api_preconditions.py) is kept.
        etag = response.get("ETag") or f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        last_modified = version // 1_000_000_000
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        patch_vary_headers(response, ["Authorization", "Cookie"])
        if anonymous and "private" not in response.get("Cache-Control", ""):
            patch_cache_control(response, public=True, max_age=settings.NEWS_CACHE_MAX_AGE)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        conditional = get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )
        return conditional


def invalidate_page(page, *, parent_before=None, also=()):
    """After a page changed state: stale every cached response, and purge from the CDN every
    URL that shows it (news/purge.py), plus `also` (say, its address before a rename)."""
    bump_content_version()
    if getattr(settings, "WAGTAILFRONTENDCACHE", None):
        from wagtail.contrib.frontend_cache.utils import PurgeBatch

        from cms.purge_queue import purge_urls
        from news.purge import urls_showing

        batch = PurgeBatch(urls_showing(page, parent_before=parent_before))
        batch.add_urls(url for url in also if url)
        # Once committed (at once outside a transaction): a CDN miss between a purge and
        # the commit would fetch the old page and keep it for NEWS_CACHE_MAX_AGE.
        # Queued, and retried until the CDN takes it (cms/purge_queue.py).
        transaction.on_commit(lambda: purge_urls(batch.urls), robust=True)


def on_page_changed(sender, instance, **kwargs):
    invalidate_page(instance)


def on_page_moved(sender, instance, parent_page_before, **kwargs):
    invalidate_page(instance, parent_before=parent_page_before)


def on_slug_changed(sender, instance, instance_before, **kwargs):
    invalidate_page(instance, also=[instance_before.get_full_url()])


def on_content_changed(sender, **kwargs):
    bump_content_version()


def connect_signals():
    """Invalidate on everything the cached pages and API responses can show."""
    from django.db.models.signals import post_delete, post_save
    from taggit.models import Tag
    from wagtail.images import get_image_model
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    from news.models import Author

    page_published.connect(on_page_changed, dispatch_uid="newsroom-cache-published")
    page_unpublished.connect(on_page_changed, dispatch_uid="newsroom-cache-unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="newsroom-cache-moved")
    page_slug_changed.connect(on_slug_changed, dispatch_uid="newsroom-cache-slug")
    # Bylines, pictures, tag names, privacy and site addresses show on (or gate) cached pages.
    for model in (Author, get_image_model(), Tag, PageViewRestriction, Site):
        post_save.connect(on_content_changed, sender=model, dispatch_uid=f"newsroom-cache-{model}")
        post_delete.connect(
            on_content_changed, sender=model, dispatch_uid=f"newsroom-cache-del-{model}"
        )

    def on_delete(sender, instance, **kwargs):
        if isinstance(instance, Page):
            bump_content_version()

    post_delete.connect(on_delete, weak=False, dispatch_uid="newsroom-cache-page-deleted")
