"""Whole article representations kept between uncached API v2 responses (list and detail)."""

import hashlib

from django.conf import settings
from wagtail.api.utils import get_base_url

from cms.caching import collecting, keep_many, kept_many, shows, view_restrictions
from news.dependencies import page_key

REPRESENTATION_KEY = "newsroom:article-json:{pk}:{published}:{shape}"


def serializer_shape(serializer_class):
    """What a Wagtail API serializer class emits: its fields and its nested serializers' fields.

    Wagtail builds a new class per request from `?fields=`, so the shape, not the class, tells
    two requests' outputs apart. Example: (("id", "type", "title"), ())
    """
    children = serializer_class.child_serializer_classes
    return (
        tuple(serializer_class.Meta.fields),
        tuple(sorted((name, serializer_shape(child)) for name, child in children.items())),
    )


def representation_key(shape, pk, last_published_at):
    published = last_published_at.isoformat() if last_published_at else ""
    # A stable digest, not hash(): every worker must find what another one kept.
    digest = hashlib.blake2b(repr(shape).encode(), digest_size=8).hexdigest()
    return REPRESENTATION_KEY.format(pk=pk, published=published, shape=digest)


def sees_only_public_pages(request):
    """Whether this request passes no view restriction (password, login or group).

    Only then does the listing return exactly the live, public articles, the only ones whose
    representations are kept; a reader let into a private section builds them afresh.
    """
    return not any(restriction.accept_request(request) for restriction in view_restrictions())


class KeptRepresentations:
    """The representations of live, public articles for one request, kept while what they
    show holds.

    A representation is the article's rendered JSON text (news/api/v2.py render_json), which
    a list splices in as it is. It is kept with the names of what it showed (the article, its
    authors, pictures, tags and related cards: news/dependencies.py, declared while it was
    built) and reused only while none of them changed (cms/caching.py).

    The key holds the article's id and last publication, and what the request's output
    depends on (the shape `?fields=` asks for, `?rich_text_format=`, and the base URL of
    `detail_url`; for API v3's detail, news/api/v3.py), so a kept representation is byte for
    byte what the serializer would emit now. It only ever supplies representations of ids
    the request's own query returned; previews do not come here (news/api/preview.py
    serialises its page itself).
    """

    def __init__(self, request, shape):
        """`shape()`: what the request's output depends on besides the article, asked for only
        when something is to be kept."""
        self.timeout = settings.NEWS_FRAGMENT_CACHE_TIMEOUT
        if self.timeout and not sees_only_public_pages(request):
            self.timeout = 0
        if self.timeout:
            self.shape = shape()

    @classmethod
    def for_v2(cls, view):
        """For an API v2 pages view: the fields asked for, the rich text format, the base URL."""
        return cls(
            view.request,
            lambda: (
                serializer_shape(view.get_serializer_class()),
                view.resolve_rich_text_format(),
                get_base_url(view.request),
            ),
        )

    def key(self, pk, last_published_at):
        return representation_key(self.shape, pk, last_published_at)

    def represent(self, pages, build):
        """Each page's representation, in order; `build(pks)` readies the missing ones as
        {pk: a function that makes its representation}, which declares what it shows
        (cms.caching.shows) as it goes.

        `pages` are (pk, last_published_at) pairs.
        """
        keys = {pk: self.key(pk, published) for pk, published in pages} if self.timeout else {}
        kept = kept_many(keys.values()) if keys else {}
        makers = build([pk for pk, _ in pages if keys.get(pk) not in kept])
        represented, fresh = [], {}
        for pk, _published in pages:
            if keys.get(pk) in kept:
                data, names = kept[keys[pk]]
                shows(*names)
            elif pk in makers:
                with collecting() as names:
                    shows(page_key(pk))
                    data = makers[pk]()
                if data is None:
                    continue
                if pk in keys:
                    fresh[keys[pk]] = (data, names)
            else:
                continue
            represented.append(data)
        if fresh:
            keep_many(fresh, self.timeout)
        return represented
