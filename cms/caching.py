"""Caching of anonymous responses and kept fragments, invalidated by the versions of what they show.

Every dependency a cached thing can show (a site, a story, a section's list of stories, a
tag, an author, an image: the names come from news/dependencies.py, which maps newsroom
changes to them) has a version: the time (ns since the epoch) it last changed, kept in the
cache under `newsroom:v:<name>`. A cached response or kept fragment records the names it
showed and `as_of`, the time its request began; it is served only while every one of those
versions is older than `as_of`. A change bumps its versions inside its transaction and again
once it commits, so whatever a reader built before the commit can never be served after it.
A version missing from the cache (evicted, or never set) counts as changed now.

The middleware serves and stores only anonymous GET/HEAD requests to reader pages and API
reads (paths under `NEWS_CACHED_PATH_PREFIXES` and not under `NEWS_UNCACHED_PATH_PREFIXES`):
no Authorization header, no logged-in user, no preview token. Its key is the path with the
query parameters it knows for that path (`NEWS_CACHE_QUERY_PARAMETERS`), sorted; a request
with any other parameter is answered but never stored, so random query strings cannot fill
the cache. Responses to anyone else get `Cache-Control: private, no-cache` and are never
stored. While the cache is away, each process keeps the responses it builds for itself,
checked against the database's log of the versions every bump writes (cms/outage_keep.py).
`Last-Modified` is the last change of what the response shows, and `ETag` a digest of the
body, so a conditional GET answers 304.
"""

import hashlib
import time
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

# The module, not its names: it uses this one's, so either may be imported first.
from cms import outage_keep

VERSION_KEY = "newsroom:v:{name}"
RESPONSE_KEY = "newsroom:response:{digest}"
# Headers a cached response carries back; the rest is recomputed per request.
STORED_HEADERS = ("Content-Type", "Content-Language", "Allow")
# Every cached thing shows the site (its root, host names, settings, sections, privacy).
SITE = "site"
# What a response depends on when its view did not answer for all it shows: any change.
ANY = "any"
# Marks a collection as complete (answers()); never a dependency itself.
COMPLETE = "complete"
# A deadline (ns since the epoch) after which what shows it is stale: "until:<ns>" (shows_until).
UNTIL = "until:"

# The time the current request began, and the versions it has read (a reader that began
# before a change may see the old rows; what it keeps is then older than the change).
request_began = ContextVar("newsroom_request_began", default=None)
request_versions = ContextVar("newsroom_request_versions", default=None)
# The sets of dependency names being collected (nested: a list, and each item in it).
collectors = ContextVar("newsroom_dependency_collectors", default=())


def began():
    """When the current request began (ns), else now: the `as_of` of what it keeps."""
    return request_began.get() or time.time_ns()


def shows(*names):
    """Declares that what is being built shows these dependencies (news/dependencies.py names)."""
    for collected in collectors.get():
        collected.update(names)


def answers(*names):
    """Declares, for a view, that the response shows these and that every part of it declares
    what it shows: the response then depends on those only. A response whose view did not
    answer depends on any change (ANY), even if some of its parts declared theirs."""
    shows(COMPLETE, *names)


def shows_until(moment):
    """Declares that what is being built is true only until `moment` (an aware datetime), say a
    banner's expiry: kept responses and fragments are not served after it, and browsers and
    CDNs are told to keep the response no longer than that."""
    shows(f"{UNTIL}{int(moment.timestamp() * 1_000_000_000)}")


def deadline_of(name):
    """The deadline (ns) an "until:<ns>" name carries, else None."""
    if name.startswith(UNTIL) and name[len(UNTIL) :].isdigit():
        return int(name[len(UNTIL) :])
    return None


def earliest_deadline(names):
    return min(filter(None, map(deadline_of, names)), default=None)


@contextmanager
def collecting():
    """Collects the dependency names declared (by shows()) inside the block, into the set it
    yields; they count for the enclosing collection too."""
    collected = set()
    token = collectors.set((*collectors.get(), collected))
    try:
        yield collected
    finally:
        collectors.reset(token)


def versions(names):
    """{name: version} of these dependencies; a missing one is set to now (changed)."""
    names = set(names)
    memo = request_versions.get()
    known = {name: memo[name] for name in names if memo is not None and name in memo}
    now = time.time_ns()
    for name in names:
        # A deadline is no stored version: unchanged before it, changed at it.
        if (deadline := deadline_of(name)) is not None:
            known[name] = deadline if now >= deadline else 0
    wanted = names - known.keys()
    if wanted:
        keys = {name: VERSION_KEY.format(name=name) for name in wanted}
        stored = cache.get_many(keys.values())
        for name in wanted:
            version = stored.get(keys[name])
            if version is None:
                version = time.time_ns()
                # add(): another process may have set it meanwhile, and theirs must win.
                if not cache.add(keys[name], version, timeout=None):
                    version = cache.get(keys[name], version)
            known[name] = version
        if memo is not None:
            memo.update(known)
    return known


def seed_versions(names):
    """Gives each of these names that has no version yet the version of now, in one round trip
    where the cache can (ResilientRedisCache.add_many): what versions() does for a reader who
    first reads a missing name, done at once for every name a cache that came back empty will
    be asked about. Safe at any moment for that reason. It saves each page its second render:
    a reader who finds a version missing sets it to a time after its own start, so what it built
    cannot be kept, and only the next reader's page is (NEWS_CACHE_RECOVERY_HOOKS)."""
    now = time.time_ns()
    entries = {VERSION_KEY.format(name=name): now for name in names}
    add_many = getattr(cache, "add_many", None)
    if add_many is not None:
        return add_many(entries, timeout=None)
    return sum(1 for key, version in entries.items() if cache.add(key, version, timeout=None))


def still_fresh(names, as_of, known=None):
    """Whether nothing among these dependencies changed since `as_of`."""
    known = known if known is not None else versions(names)
    return all(known[name] < as_of for name in names)


# Called with the names of every bump, inside its transaction (on_bump()).
bump_callbacks = []


def on_bump(callback):
    """Registers `callback(names)`, called at each bump inside the change's transaction: what
    an app stores apart from the cache (say, precomputed rows) goes stale with it."""
    if callback not in bump_callbacks:
        bump_callbacks.append(callback)
    return callback


def bump(names):
    """Marks these dependencies changed now; inside a transaction, again when it commits.
    Returns {name: new version}.

    A reader who came between the first bump and the commit saw the old rows, but began
    before the second bump, so what it kept goes too. Every bump also bumps ANY.
    """
    names = {*names, ANY}
    bumped = new_versions(names)
    log_versions(bumped)
    if SITE in names:
        bump_database_site_version()
    for callback in bump_callbacks:
        callback(names)
    if connection.in_atomic_block:
        # robust: the change has committed; a cache error must not turn it into a 500 or
        # skip the other commit hooks (search index, CDN purge).
        transaction.on_commit(lambda: logged_and_bumped(names), robust=True)
    return bumped


def logged_and_bumped(names):
    """A change's second bump, once it has committed: the log first (what processes whose
    cache is away check, which must not wait on a cache that may time out), then the cache."""
    now = time.time_ns()
    log_versions(dict.fromkeys(names, now))
    new_versions(names)


def log_versions(versions):
    """Logs bumped versions in the database, where a process whose shared cache is away checks
    what it kept for itself (cms/outage_keep.py)."""
    outage_keep.LOG.write(versions)


def new_versions(names):
    keys = {name: VERSION_KEY.format(name=name) for name in names}
    held = cache.get_many(keys.values())
    now = time.time_ns()
    fresh = {key: max(now, (held.get(key) or 0) + 1) for key in keys.values()}
    cache.set_many(fresh, timeout=None)
    memo = request_versions.get()
    bumped = {name: fresh[key] for name, key in keys.items()}
    if memo is not None:
        memo.update(bumped)
    return bumped


def bump_content_version():
    """Marks everything cached stale (the site version, which every entry shows); returns
    the new site version."""
    return bump([SITE])[SITE]


def stale_the_cache():
    """Marks everything the shared cache holds stale (the site version every entry shows) and
    nothing else: for a cache that came back as another lifetime of its server
    (cms/cache_outage.py). What the database stores did not change with it (the memos' site
    version, the stored representation parts of news/api/stored.py), so it is left alone."""
    return new_versions({SITE, ANY})[SITE]


def content_version():
    """The site version: the last change that stales everything (sites, privacy, sections)."""
    return versions([SITE])[SITE]


# Where a request keeps the site version it read from the database (request_versions: never a
# dependency name, which has no space).
DATABASE_SITE_VERSION = "site version in the database"


def database_site_version():
    """The site version the database holds (cms.models.SiteVersion), read once per request."""
    memo = request_versions.get()
    if memo is not None and DATABASE_SITE_VERSION in memo:
        return memo[DATABASE_SITE_VERSION]
    from cms.models import SiteVersion

    # Plain SQL: the ORM would spend more building this query than the database answering it.
    table = connection.ops.quote_name(SiteVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {table} WHERE id = 1")  # noqa: S608 (no input)
        row = cursor.fetchone()
    version = row[0] if row else 0
    if memo is not None:
        memo[DATABASE_SITE_VERSION] = version
    return version


def shared_cache_away():
    """Whether the shared cache is known to be unreachable right now (cms/cache_backend.py:
    its breaker is open), so what it would answer is a miss."""
    return getattr(cache, "unavailable", False)


def bump_database_site_version():
    """Changes the database's site version, inside the change's transaction: readers see the
    new version only with the change."""
    from cms.models import SiteVersion

    now = time.time_ns()
    if not SiteVersion.objects.filter(pk=1).update(version=now):
        SiteVersion.objects.bulk_create([SiteVersion(pk=1, version=now)], ignore_conflicts=True)
        SiteVersion.objects.filter(pk=1).update(version=now)
    memo = request_versions.get()
    if memo is not None:
        memo.pop(DATABASE_SITE_VERSION, None)


def keep_many(entries, timeout, *, as_of=None):
    """Keeps {key: (value, dependency names)} for `timeout` seconds, as of the request's start
    (each shows the site too)."""
    as_of = as_of or began()
    cache.set_many(
        {
            key: (value, (SITE, *(set(names) - {COMPLETE})), as_of)
            for key, (value, names) in entries.items()
        },
        timeout,
    )


def kept_many(keys):
    """{key: (value, dependency names)} of those kept and still fresh (two cache reads)."""
    stored = cache.get_many(keys)
    entries = {key: entry for key, entry in stored.items() if isinstance(entry, tuple)}
    known = versions({name for _value, names, _as_of in entries.values() for name in names})
    return {
        key: (value, names)
        for key, (value, names, as_of) in entries.items()
        if still_fresh(names, as_of, known)
    }


class VersionedMemo:
    """Values one process computes once per site version: every change that could alter them
    (a Site by host name, the view restrictions) bumps it. Saves a query per request.
    The version is the cache's; when NEWS_FRAGMENT_CACHE_TIMEOUT is 0 (production without a
    shared cache, where one process would not see another's bump in its own cache), or while
    the shared cache is away, it is the database's (database_site_version: one small query
    per request instead of one per value).

        sites = VersionedMemo()
        site = sites.get(("news.example.com", 443), lambda: find_the_site())
    """

    def __init__(self, size=256):
        self.size = size
        self.clear()

    def clear(self):
        self.state = (None, {})

    def get(self, key, compute):
        if settings.NEWS_FRAGMENT_CACHE_TIMEOUT and not shared_cache_away():
            version = content_version()
        else:
            # No shared cache, or it is away (a Redis outage: its versions would all read as
            # "changed now", and every request would compute again).
            version = database_site_version()
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


# A stored query value longer than this is someone's noise, not a page number or filter.
LONGEST_STORED_QUERY_VALUE = 200


def normalised_query(request):
    """The request's query as it keys the cache: the parameters known for its path, sorted;
    None when it has any other (or an overlong value), so the response is not stored.

    Example: "?type=news.ArticlePage&limit=20" -> "limit=20&type=news.ArticlePage"
    """
    known = ()
    for prefix, names in settings.NEWS_CACHE_QUERY_PARAMETERS:
        if request.path.startswith(prefix):
            known = names
            break
    pairs = []
    for name, values in request.GET.lists():
        if name not in known:
            return None
        for value in values:
            if len(value) > LONGEST_STORED_QUERY_VALUE:
                return None
            pairs.append((name, value))
    return urlencode(sorted(pairs))


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
    """Every page view restriction with its page, read once per process and site version."""
    from wagtail.models import PageViewRestriction

    return VIEW_RESTRICTIONS.get(
        None, lambda: list(PageViewRestriction.objects.select_related("page"))
    )


def max_age_for(path):
    """How long browsers and CDNs may keep a response to `path` without asking again:
    NEWS_CACHE_MAX_AGE, or less for what readers poll (NEWS_CACHE_SHORT_MAX_AGE)."""
    for prefix, seconds in getattr(settings, "NEWS_CACHE_SHORT_MAX_AGE", ()):
        if path.startswith(prefix):
            return min(seconds, settings.NEWS_CACHE_MAX_AGE)
    return settings.NEWS_CACHE_MAX_AGE


class AnonymousCacheMiddleware:
    """Serves anonymous reads from the cache and adds Cache-Control, ETag and Last-Modified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not is_cacheable_path(request.path):
            return self.get_response(request)

        anonymous = is_anonymous_request(request)
        tokens = (request_began.set(time.time_ns()), request_versions.set({}))
        try:
            as_of = request_began.get()
            key = None
            cached = None
            if anonymous and settings.NEWS_CACHE_TIMEOUT:
                key = self.key_for(request)
                cached = self.from_cache(key) if key else None
                if cached is None and key and outage_keep.KEEP.active():
                    entry = outage_keep.KEEP.get(key)
                    cached = self.response_of(entry) if entry is not None else None

            if cached is not None:
                response, last_modified = cached
            else:
                with collecting() as shown:
                    response = self.get_response(request)
                names = self.dependencies(shown)
                response.newsroom_deadline = earliest_deadline(names)
                known = versions(names) if response.status_code == 200 else {}
                last_modified = max(known.values(), default=as_of)
                if key and self.should_store(response):
                    if still_fresh(names, as_of, known):
                        self.store(key, response, names, as_of, last_modified)
                    elif outage_keep.KEEP.active():
                        # Every version reads "changed now" while the cache is away.
                        outage_keep.KEEP.put(
                            key, self.entry_of(response, names, as_of, last_modified)
                        )
        finally:
            request_began.reset(tokens[0])
            request_versions.reset(tokens[1])

        return self.finish(request, response, anonymous=anonymous, last_modified=last_modified)

    @staticmethod
    def dependencies(shown):
        """What a response depends on: the site, and what its view answered for (else ANY)."""
        if COMPLETE not in shown:
            # Any change, and any deadline a part declared (shows_until).
            return {SITE, ANY, *(name for name in shown if deadline_of(name) is not None)}
        return {SITE, *shown} - {COMPLETE}

    @staticmethod
    def key_for(request):
        query = normalised_query(request)
        if query is None:
            return None
        url = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
        return RESPONSE_KEY.format(digest=hashlib.sha256(url.encode()).hexdigest())

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
    def entry_of(response, names, as_of, last_modified):
        headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
        return (response.content, headers, tuple(names), as_of, last_modified)

    def store(self, key, response, names, as_of, last_modified):
        cache.set(
            key, self.entry_of(response, names, as_of, last_modified), settings.NEWS_CACHE_TIMEOUT
        )

    def from_cache(self, key):
        """(response, last modified) from the cache, if kept and nothing it shows has changed."""
        cached = cache.get(key)
        if not isinstance(cached, tuple) or len(cached) != 5:
            return None
        if not still_fresh(cached[2], cached[3]):
            return None
        return self.response_of(cached)

    @staticmethod
    def response_of(entry):
        """(response, last modified) of a kept entry."""
        content, headers, names, _as_of, last_modified = entry
        response = HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        response["X-Cache"] = "hit"
        response.newsroom_deadline = earliest_deadline(names)
        return response, last_modified

    @staticmethod
    def finish(request, response, *, anonymous, last_modified):
        if response.status_code != 200 or response.streaming:
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, no_cache=True)
            return response

        # A view's own ETag (a page revision's, cms/api_preconditions.py) is kept.
        etag = response.get("ETag") or f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        last_modified = last_modified // 1_000_000_000
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        patch_vary_headers(response, ["Authorization", "Cookie"])
        if anonymous and "private" not in response.get("Cache-Control", ""):
            max_age = max_age_for(request.path)
            deadline = getattr(response, "newsroom_deadline", None)
            if deadline is not None:
                # Shown only until then (a banner's expiry): no one may keep it longer.
                max_age = max(0, min(max_age, -(-(deadline - time.time_ns()) // 1_000_000_000)))
            patch_cache_control(response, public=True, max_age=max_age)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        conditional = get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )
        return conditional


def purging():
    """Whether a CDN is set up to purge (else the URLs need not even be worked out)."""
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge_urls(urls):
    """Purges these absolute URLs from the CDN (Wagtail's frontend cache), if one is set up,
    once the change commits (at once outside a transaction): a CDN miss between a purge and
    the commit would fetch the old page and keep it for NEWS_CACHE_MAX_AGE. The purge is
    queued for the task worker and retried until the CDN takes it (cms/purge_queue.py)."""
    urls = {url for url in urls if url}
    if not urls or not purging():
        return
    from cms.purge_queue import purge_urls as queue_purge

    transaction.on_commit(lambda: queue_purge(urls), robust=True)


def invalidate(names, urls=()):
    """After a change: stale what shows these dependencies, and purge these URLs from the CDN."""
    bump(names)
    purge_urls(urls)
