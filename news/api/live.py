"""A live blog's posts over the API, newest first, paged, with `?since=`: built once for v2 and v3.

    GET /api/v2/live_blogs/42/posts/?since=2026-12-04T17:00:00Z&limit=20&offset=0
    GET /api/v3/live_blogs/42/posts/   (the same answer, typed in /api/v3/openapi.json)

Readers' pages poll it every few seconds (static/js/live_blog.js) with `since` set to the
`meta.latest` of their last answer, so every reader asks the same URL: the response cache
(cms/caching.py) answers all but the first of them, and the middleware's ETag turns an
unchanged answer into a 304. The answer shows `liveblog:<id>` (news/dependencies.py), which
every publish, correction, unpublish and delete of a post bumps at once.

Only a live blog that is live and public (the rule of the pages API, news/api/v2.py) has
posts to show: any other id is a 404, whoever asks, so a draft's posts never leak.
"""

from datetime import datetime

from django.conf import settings
from django.db.models import Max
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive, make_aware
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field
from typing_extensions import TypedDict
from wagtail.api.v3.auth import AllowAnonymous
from wagtail.api.v3.errors import ProblemDetail
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.rich_text import expand_db_html

from cms.caching import answers, shows
from news.dependencies import live_blog_keys, live_post_keys
from news.models import LiveBlogPage, LivePost
from news.renditions import ImageDict, image_representation

from .v2 import public_pages_queryset


class LiveAuthorDict(TypedDict):
    id: int
    name: str
    slug: str


class EmbedDict(TypedDict):
    url: str
    html: str


class LivePostDict(TypedDict):
    """Example: {"id": 7, "posted_at": "2026-12-04T17:02:00+00:00", "headline": "Polls close",
    "body": "<p>Counting begins.</p>", "author": {"id": 3, "name": "Jane Doe",
    "slug": "jane-doe"}, "image": null, "embed": null, "key_event": true, "pinned": false,
    "corrected_at": null, "updated_at": "2026-12-04T17:02:05+00:00"}"""

    id: int
    posted_at: str
    headline: str
    body: str
    author: LiveAuthorDict | None
    image: ImageDict | None
    embed: EmbedDict | None
    key_event: bool
    pinned: bool
    corrected_at: str | None
    updated_at: str | None


class KeyEventDict(TypedDict):
    id: int
    posted_at: str
    headline: str


class LiveBlogDict(TypedDict):
    id: int
    title: str
    url: str
    status: str
    coverage_start: str | None
    coverage_end: str | None


class LivePostsMetaDict(TypedDict):
    """`total_count` counts the posts matching `since`; `latest` is the newest change among
    all the blog's posts: the `since` of the next poll."""

    total_count: int
    limit: int
    offset: int
    since: str | None
    latest: str | None


class LivePostsDict(TypedDict):
    live_blog: LiveBlogDict
    meta: LivePostsMetaDict
    key_events: list[KeyEventDict]
    post_ids: list[int]
    items: list[LivePostDict]


class LivePostsError(Exception):
    """A request the endpoint refuses: `status` 400 (bad input) or 404 (no such live blog)."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def iso(moment):
    return moment.isoformat() if moment else None


def parse_since(value):
    """`since` as an aware datetime; a date-time with or without an offset (UTC if none)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        if moment is None:
            raise LivePostsError(400, "since must be an ISO 8601 date-time, e.g. 2026-12-04T17:00Z")
    return make_aware(moment) if is_naive(moment) else moment


def public_live_blog(request, page_id):
    """The live blog, if live and public on the request's site; else LivePostsError(404)."""
    if not 0 < page_id < 2**31:
        raise LivePostsError(404, "No live blog matches the given id.")
    try:
        page = public_pages_queryset(request, LiveBlogPage).filter(pk=page_id).first()
    except ValueError:  # ?site= naming several sites
        page = None
    if page is None:
        raise LivePostsError(404, "No live blog matches the given id.")
    return page


def embeds_by_url(posts):
    """{url: html} of the posts' embeds the embed finders have already stored (no fetching
    on a reader's request)."""
    urls = {post.embed_url for post in posts if post.embed_url}
    stored = Embed.objects.in_bulk(
        [get_embed_hash(url, None, None) for url in urls], field_name="hash"
    )
    found = {}
    for url in urls:
        embed = stored.get(get_embed_hash(url, None, None))
        found[url] = (
            render_to_string("wagtailembeds/embed_frontend.html", {"embed": embed})
            if embed is not None
            else ""
        )
    return found


def post_representation(post, embeds) -> LivePostDict:
    shows(*live_post_keys(post))
    author = post.author
    return {
        "id": post.pk,
        "posted_at": post.posted_at.isoformat(),
        "headline": post.headline,
        "body": expand_db_html(post.body),
        "author": ({"id": author.pk, "name": author.name, "slug": author.slug} if author else None),
        "image": image_representation(post.image) if post.image is not None else None,
        "embed": (
            {"url": post.embed_url, "html": embeds.get(post.embed_url, "")}
            if post.embed_url
            else None
        ),
        "key_event": post.key_event,
        "pinned": post.pinned,
        "corrected_at": iso(post.corrected_at),
        "updated_at": iso(post.last_published_at),
    }


def live_blog_representation(page) -> LiveBlogDict:
    return {
        "id": page.pk,
        "title": page.title,
        "url": page.get_full_url() or "",
        "status": page.status,
        "coverage_start": iso(page.coverage_start),
        "coverage_end": iso(page.coverage_end),
    }


def live_posts(request, page_id, *, since=None, limit=None, offset=0):
    """The answer of the posts endpoint (LivePostsDict); raises LivePostsError."""
    since = parse_since(since)
    limit = settings.NEWS_LIVE_POSTS_PER_PAGE if limit is None else limit
    if not 1 <= limit <= settings.WAGTAILAPI_LIMIT_MAX:
        raise LivePostsError(400, f"limit must be from 1 to {settings.WAGTAILAPI_LIMIT_MAX}")
    if not 0 <= offset <= 2**31:
        raise LivePostsError(400, "offset must be a whole number from 0")
    page = public_live_blog(request, page_id)
    answers(*live_blog_keys(page))

    published = LivePost.objects.published().filter(live_blog=page)
    matching = published.changed_since(since) if since is not None else published
    rows = list(published.values_list("pk", "key_event", "posted_at", "headline"))
    latest = published.aggregate(latest=Max("last_published_at"))["latest"]
    selected = list(matching.for_readers().newest_first()[offset : offset + limit])
    embeds = embeds_by_url(selected)
    key_events = sorted(
        (row for row in rows if row[1]), key=lambda row: (row[2], row[0]), reverse=True
    )
    return {
        "live_blog": live_blog_representation(page),
        "meta": {
            "total_count": matching.count() if since is not None else len(rows),
            "limit": limit,
            "offset": offset,
            "since": iso(since),
            "latest": iso(latest),
        },
        "key_events": [
            {"id": pk, "posted_at": posted_at.isoformat(), "headline": headline}
            for pk, _key, posted_at, headline in key_events
        ],
        "post_ids": sorted(row[0] for row in rows),
        "items": [post_representation(post, embeds) for post in selected],
    }


def whole_number(request, name, default):
    value = request.GET.get(name)
    if value is None:
        return default
    if not (value.isascii() and value.isdigit()) or len(value) > 10:
        raise LivePostsError(400, f"{name} must be a whole number")
    return int(value)


def v2_live_posts(request, page_id):
    """API v2: GET /api/v2/live_blogs/<id>/posts/; errors as {"message": …} like v2's own."""
    unknown = set(request.GET) - {"since", "limit", "offset"}
    try:
        if unknown:
            raise LivePostsError(
                400,
                f"unknown query parameters: {', '.join(sorted(unknown))}",
            )
        answer = live_posts(
            request,
            page_id,
            since=request.GET.get("since"),
            limit=whole_number(request, "limit", None),
            offset=whole_number(request, "offset", 0),
        )
    except LivePostsError as e:
        return JsonResponse({"message": str(e)}, status=e.status)
    return JsonResponse(answer, json_dumps_params={"separators": (",", ":")})


router = Router(tags=["live blogs"], auth=[AllowAnonymous()])


class LivePostsQuery(Schema):
    since: datetime | None = Field(
        None, description="Only posts published or corrected after this moment."
    )
    limit: int = Field(20, ge=1, le=100, description="Posts per page, at most 100.")
    offset: int = Field(0, ge=0, le=2**31, description="Posts to skip, newest first.")


@router.get(
    "/live_blogs/{page_id}/posts/",
    response={200: LivePostsDict, 400: ProblemDetail, 404: ProblemDetail, 422: ProblemDetail},
    url_name="live_blog_posts",
    summary="Live blog posts",
    operation_id="live_blog_posts",
)
def v3_live_posts(request, page_id: int, query: Query[LivePostsQuery]):
    """A live, public live blog's published posts, newest first, with its key events and the
    ids of all its posts (a poller drops the ones no longer listed)."""
    try:
        return live_posts(
            request, page_id, since=query.since, limit=query.limit, offset=query.offset
        )
    except LivePostsError as e:
        raise HttpError(e.status, str(e)) from e
