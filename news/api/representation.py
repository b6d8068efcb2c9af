"""The article representation served over the API, built once for both v2 and v3.

Wagtail's v3 API reads `api_fields` through the same DRF field classes as v2 (see
wagtail/api/v3/schemas/generators/read.py), so each field here is written once, and its
return annotation becomes the field's type in `/api/v3/openapi.json`.
"""

import hashlib
import json
import sys
import time
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import django
import wagtail
from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.template.loader import render_to_string
from pydantic import Field as PydanticField
from rest_framework.fields import Field, ReadOnlyField
from typing_extensions import TypedDict  # pydantic (API v3) needs this one on Python < 3.12
from wagtail.api import APIField
from wagtail.api.rich_text import APIRichText
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images import get_image_model

from cms.caching import UNTIL, collecting, keep_many, kept_many, shows
from home.models import HomePage
from news.blocks import preloaded_images
from news.dependencies import STORIES, author_key, card_keys, section_key, tag_key
from news.models import (
    ArticlePage,
    LiveBlogPage,
    SectionPage,
    StoredRepresentation,
    banner_as_shown,
    share_site_root_paths,
)
from news.related import related_articles
from news.renditions import (  # noqa: F401 (the API's picture shapes, re-exported)
    RENDITIONS,
    FocalPointDict,
    ImageDict,
    RenditionDict,
    RenditionFormatsDict,
    image_representation,
    rendition_representation,
    rendition_specs,
    renditions_of,
)


class AuthorDict(TypedDict):
    id: int
    name: str
    slug: str
    kind: str
    role: str


class SectionDict(TypedDict):
    id: int
    title: str
    slug: str
    url: str


class RelatedArticleDict(TypedDict):
    id: int
    title: str
    url: str
    teaser: str
    first_published_at: str | None
    thumbnail: RenditionDict | None


class FrontCardDict(RelatedArticleDict):
    """A place on a front: a related-article card, and how it got there ("lead", "top": placed
    by an editor, "latest": the newest stories filling the rest)."""

    placement: Literal["lead", "top", "latest"]


class BreakingNewsDict(TypedDict):
    """The breaking-news banner: its text, its story (null while that is not live and
    public) and when it disappears."""

    text: str
    article: RelatedArticleDict | None
    expires_at: str


class CorrectionDict(TypedDict):
    """Example: {"kind": "correction", "text": "An earlier version misnamed the mayor.",
    "published_at": "2026-05-06T10:00:00+00:00"} (null only in a preview, before publishing)."""

    kind: Literal["correction", "clarification", "update"]
    text: str
    published_at: str | None


# The body's blocks as the API gives them (news/blocks.py): `type`, its `value` and the
# block's `id`. Typed here for the OpenAPI document (cms/openapi.py documents `body` with it).


class ParagraphBlockDict(TypedDict):
    """Example: {"type": "paragraph", "value": "<p>The dam held.</p>", "id": "4529…"}"""

    type: Literal["paragraph"]
    value: str
    id: str


class HeadingBlockDict(TypedDict):
    type: Literal["heading"]
    value: str
    id: str


class ImageBlockDict(TypedDict):
    """The picture with this block's caption, credit and alt text (null if it was deleted)."""

    type: Literal["image"]
    value: ImageDict | None
    id: str


class QuoteDict(TypedDict):
    quote: str
    attribution: str


class QuoteBlockDict(TypedDict):
    type: Literal["quote"]
    value: QuoteDict
    id: str


class EmbedDict(TypedDict):
    url: str
    html: str


class EmbedBlockDict(TypedDict):
    """A video or post by URL, with the provider's HTML when it was fetched."""

    type: Literal["embed"]
    value: EmbedDict | None
    id: str


BodyBlock = Annotated[
    ParagraphBlockDict | HeadingBlockDict | ImageBlockDict | QuoteBlockDict | EmbedBlockDict,
    PydanticField(discriminator="type"),
]


def page_url(page):
    """The page's public absolute URL, or "" when it is not routable."""
    return page.get_full_url() or ""


class TextField(ReadOnlyField):
    """Plain text read off the article, e.g. "Jane Doe and AFP"."""

    def to_representation(self, value) -> str:
        return value or ""


class AuthorsField(Field):
    """The bylines in order.

    Example: [{"id": 3, "name": "AFP", "slug": "afp", "kind": "agency", "role": "News agency"}]
    """

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, article) -> list[AuthorDict]:
        authors = article.authors
        shows(*(author_key(author.pk) for author in authors))
        return [
            {
                "id": author.pk,
                "name": author.name,
                "slug": author.slug,
                "kind": author.kind,
                "role": author.role,
            }
            for author in authors
        ]


class SectionField(Field):
    """The section the article is filed in.

    Example: {"id": 4, "title": "World", "slug": "world", "url": "http://localhost/world/"}
    """

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, article) -> SectionDict | None:
        section = article.section
        if section is None:
            return None
        return {
            "id": section.pk,
            "title": section.title,
            "slug": section.slug,
            "url": page_url(section),
        }


class TagsField(Field):
    """The article's tags by name. Example: ["elections", "oil"]"""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, article) -> list[str]:
        tags = article.tags.all()
        shows(*(tag_key(tag.pk) for tag in tags))
        return sorted(tag.name for tag in tags)


class LeadImageField(Field):
    """The lead image with the article's caption, credit and alt text, and its renditions.

    Example: {"id": 7, "title": "Harbour", "alt": "Boats at dawn", "caption": "The quay.",
    "credit": "AFP photo", "width": 1600, "height": 900, "focal_point": null,
    "renditions": {"thumbnail": {"url": "http://…/harbour.fill-480x270-c100.jpg",
    "width": 480, "height": 270, "formats": {"avif": "http://…/harbour.2e16d0ba.fill-480x270-c100.format-avif.avif",
    "webp": "…"}}, "medium": {…}, "large": {…}}}
    """

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, article) -> ImageDict | None:
        if article.lead_image is None:
            return None
        return image_representation(
            article.lead_image,
            alt=article.lead_image_alt,
            caption=article.lead_image_caption,
            credit=article.lead_image_credit,
        )


class CorrectionsField(Field):
    """The story's correction, clarification and update notes, oldest first, as the page
    shows them under the body.

    Example: [{"kind": "correction", "text": "An earlier version misnamed the mayor.",
    "published_at": "2026-05-06T10:00:00+00:00"}]
    """

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, article) -> list[CorrectionDict]:
        preview = article.pk is None or getattr(article, "is_headless_preview", False)
        return [
            {
                "kind": note.kind,
                "text": note.text,
                "published_at": note.published_at.isoformat() if note.published_at else None,
            }
            for note in article.shown_corrections(preview=preview)
        ]


def related_article_representation(article) -> RelatedArticleDict:
    shows(*card_keys(article))
    thumbnail = None
    if article.lead_image is not None:
        by_format = renditions_of(article.lead_image, "thumbnail")["thumbnail"]
        thumbnail = rendition_representation(by_format)
    return {
        "id": article.pk,
        "title": article.title,
        "url": page_url(article),
        "teaser": article.teaser,
        "first_published_at": (
            article.first_published_at.isoformat() if article.first_published_at else None
        ),
        "thumbnail": thumbnail,
    }


class RelatedArticlesField(Field):
    """The related articles the page shows, in the same order.

    Example: [{"id": 12, "title": "Port strike ends",
    "url": "http://localhost/world/port-strike-ends/", "teaser": "Dockers return.",
    "first_published_at": "2026-05-06T09:00:00+00:00",
    "thumbnail": {"url": "…", "width": 480, "height": 270,
    "formats": {"avif": "…", "webp": "…"}}}]
    """

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, article) -> list[RelatedArticleDict]:
        cards = article.__dict__.get("related_article_cards")
        if cards is None and article.live and not article.has_unpublished_changes:
            # Not prepared by a listing (API v3's detail): the stored cards, unless a draft
            # (whose picks may differ) is shown.
            stored = stored_related_cards([article.pk]).get(article.pk)
            if stored is not None:
                cards, article.__dict__["related_keys"] = stored
        if cards is None:
            cards = [
                related_article_representation(related) for related in article.related_articles
            ]
        shows(*article.__dict__.get("related_keys", ()))
        return cards


def fetch_api_cards(chosen):
    """{pk: article} with only what an API card shows, for related_articles(fetch=…).

    A reader page's card also shows the section and byline; the API's does not, so neither
    is fetched, nor any column but these.
    """
    thumbnails = (
        get_image_model()
        .objects.select_related("rights")
        .prefetch_renditions(*rendition_specs("thumbnail"))
    )
    return (
        chosen.only("title", "url_path", "first_published_at", "intro", "body", "lead_image_id")
        .prefetch_related(Prefetch("lead_image", queryset=thumbnails))
        .in_bulk()
    )


RELATED_CARDS_KEY = "newsroom:related-cards:{pk}:{published}"


def related_cards_key(article):
    """Where the related-article cards of a live article are kept."""
    published = article.last_published_at.isoformat() if article.last_published_at else ""
    return RELATED_CARDS_KEY.format(pk=article.pk, published=published)


@cache
def code_digest():
    """A digest of the code that makes and reads a stored part: the API package (this module,
    the v2 and v3 endpoints, news/api/stored.py), the modules it builds on, and the Django and
    Wagtail releases."""
    from news import blocks, dependencies, related, renditions, rich_text
    from news.models import articles

    here = Path(sys.modules[__name__].__file__).parent
    sources = [*sorted(here.glob("*.py"))]
    sources += [Path(module.__file__) for module in (blocks, dependencies, related, renditions)]
    sources += [Path(rich_text.__file__), Path(articles.__file__)]
    digest = hashlib.blake2b(digest_size=8)
    for source in sources:
        digest.update(source.read_bytes())
    digest.update(f"{django.__version__} {wagtail.__version__}".encode())
    return digest.hexdigest()


def representation_fingerprint():
    """What stored parts (news.models.StoredRepresentation) must have been made with to be
    read: this code, and the settings that shape URLs, pictures and rich text. A deploy that
    changes any of them leaves the old parts unread until computed again (manage.py
    store_representations)."""
    shaping = (
        code_digest(),
        settings.MEDIA_URL,
        default_storage.url("images/x.jpg"),  # a storage's own base URL (a CDN, say)
        getattr(settings, "WAGTAILADMIN_BASE_URL", None),
        RENDITIONS,
        APIRichText.get_default_format(),
    )
    return hashlib.blake2b(repr(shaping).encode(), digest_size=8).hexdigest()


def stored_parts(pks, kinds, *, visible=None):
    """{pk: {kind: (value, names shown)}} of the parts of these articles' representations
    stored at publish time (news/api/stored.py) and true now, in one query.

    `visible`: a queryset of the pages the request may see; parts of others are not read.
    """
    if not pks:
        return {}
    rows = StoredRepresentation.objects.filter(
        key__in=[f"{pk}:{kind}" for pk in pks for kind in kinds],
        made_with=representation_fingerprint(),
    ).filter(Q(until__isnull=True) | Q(until__gt=time.time_ns()))
    if visible is not None:
        rows = rows.filter(article_id__in=visible.values("pk"))
    parts = {}
    for pk, kind, value, names in rows.values_list("article_id", "kind", "value", "shows"):
        parts.setdefault(pk, {})[kind] = (json.loads(value), names)
    return parts


def stored_related_cards(pks):
    """{pk: (cards, names shown)} of these articles' cards computed at publish time, in one
    query."""
    kind = StoredRepresentation.Kind.RELATED_CARDS
    return {pk: parts[kind] for pk, parts in stored_parts(pks, [kind]).items()}


def attach_related_cards(articles, *, reuse):
    """Set each article's related-article cards: those stored at publish time, else those
    kept for live articles, else computed.

    Which stories are related depends on the picked stories and on the newest stories of the
    article's tags and section; a card shows another story's title, URL, teaser and picture.
    A kept list records those (news/related.py related_keys) and is reused only while none
    of them changed (cms/caching.py), so it never outlives what it shows. Cards only ever
    show live, public stories, whoever asks. `reuse=False` (previews: the editor's unsaved
    picks) neither reads nor keeps anything.
    """
    if reuse:
        stored = stored_related_cards(
            [article.pk for article in articles if article.pk is not None and article.live]
        )
        for article in articles:
            if article.pk in stored:
                cards, names = stored[article.pk]
                article.__dict__["related_article_cards"] = cards
                article.__dict__["related_keys"] = names
        articles = [article for article in articles if article.pk not in stored]
        if not articles:
            return
        # The picks and tags of those without stored cards, in one query each whatever was
        # fetched (a preview's are the editor's, unsaved: not read again).
        prefetch_related_objects(articles, "related_links", "tags")
    timeout = settings.NEWS_FRAGMENT_CACHE_TIMEOUT if reuse else 0
    keys = {}
    if timeout:
        keys = {
            article.pk: related_cards_key(article)
            for article in articles
            if article.pk is not None and article.live
        }
    kept = kept_many(keys.values()) if keys else {}

    missing = [article for article in articles if keys.get(article.pk) not in kept]
    related = related_articles(missing, fetch=fetch_api_cards)
    share_site_root_paths(card for cards in related.values() for card in cards)
    fresh = {}
    for article in articles:
        key = keys.get(article.pk)
        if key in kept:
            article.__dict__["related_article_cards"], article.__dict__["related_keys"] = kept[key]
            continue
        article.__dict__["related_articles"] = related[article.pk]
        with collecting() as shown:
            cards = [related_article_representation(card) for card in related[article.pk]]
        # A card's picture may be fresh only until its rights end: the kept list too.
        deadlines = {name for name in shown if name.startswith(UNTIL)}
        if deadlines:
            article.__dict__["related_keys"] = {*article.__dict__["related_keys"], *deadlines}
        article.__dict__["related_article_cards"] = cards
        if key is not None:
            fresh[key] = (cards, article.__dict__["related_keys"])
    if fresh:
        keep_many(fresh, timeout)


def prepare_articles(articles, *, reuse_fragments=True, fields=None):
    """Fetch, for a whole page of API results at once, what each article's representation reads.

    Related articles come from one batch computation (or from kept cards, see
    attach_related_cards), and body images (with renditions) and stored embeds from one
    query each, so a page of 50 costs the queries of a page of 5. With `fields`, the names
    the response shows, work follows them: a list of cards computes no related articles and
    renders no body.
    """
    articles = list(articles)
    sections = [article.section for article in articles if article.section is not None]
    share_site_root_paths([*articles, *sections])
    if fields is None or "related_articles" in fields:
        attach_related_cards(articles, reuse=reuse_fragments)
    if fields is not None and "body" not in fields:
        return articles

    image_ids = {
        block["value"].get("image")
        for article in articles
        for block in article.body.raw_data
        if block["type"] == "image" and isinstance(block.get("value"), dict)
    }
    images = (
        get_image_model()
        .objects.select_related("rights")
        .prefetch_renditions(*rendition_specs())
        .in_bulk(image_ids - {None})
    )
    token = preloaded_images.set(images)
    try:
        blocks = [block for article in articles for block in article.body]
    finally:
        preloaded_images.reset(token)

    embeds = [block.value for block in blocks if block.block_type == "embed" and block.value]
    stored = Embed.objects.in_bulk(
        [get_embed_hash(value.url, value.max_width, value.max_height) for value in embeds],
        field_name="hash",
    )
    for value in embeds:
        embed = stored.get(get_embed_hash(value.url, value.max_width, value.max_height))
        if embed is not None:
            # The template wagtail.embeds.format.embed_to_frontend_html renders.
            value.__dict__["html"] = render_to_string(
                "wagtailembeds/embed_frontend.html", {"embed": embed}
            )
    return articles


class LeadArticleField(Field):
    """The home page's lead story as shown (live and public only), like a related article."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, home_page) -> RelatedArticleDict | None:
        shows(STORIES)
        cards = api_front(home_page)
        return related_article_representation(cards[0].article) if cards else None


def fetch_front_cards(ids):
    """{pk: article} of these stories as an API card shows them (one fetch for all)."""
    return fetch_api_cards(ArticlePage.objects.filter(pk__in=ids))


def api_front(front_page):
    """The page's front as the API shows it, arranged once per request and page."""
    if "api_front" not in front_page.__dict__:
        cards = front_page.get_front(fetch=fetch_front_cards)
        share_site_root_paths(card.article for card in cards)
        front_page.__dict__["api_front"] = cards
    return front_page.__dict__["api_front"]


class FrontField(Field):
    """A front's cards in order: the lead, the editor's top stories, then the newest stories
    filling the rest, live and public only, none twice (news/models/fronts.py).

    Example: [{"id": 12, "title": "Port strike ends", "url": "http://localhost/world/port-…/",
    "teaser": "Dockers return.", "first_published_at": "2026-05-06T09:00:00+00:00",
    "thumbnail": {…}, "placement": "lead"}, {…, "placement": "top"}, {…, "placement": "latest"}]
    """

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, front_page) -> list[FrontCardDict]:
        # The newest stories it fills with: all of them on the home page, a section's own.
        shows(section_key(front_page.pk) if isinstance(front_page, SectionPage) else STORIES)
        cards = api_front(front_page)
        return [
            {**related_article_representation(card.article), "placement": card.placement}
            for card in cards
        ]


class BreakingNewsField(Field):
    """The breaking-news banner while one is published and unexpired, else null.

    Example: {"text": "Storm closes the harbour", "article": {"id": 12, "title": …},
    "expires_at": "2026-05-06T18:00:00+00:00"}
    """

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, page) -> BreakingNewsDict | None:
        banner, article = banner_as_shown(fetch=fetch_front_cards)
        if banner is None:
            return None
        return {
            "text": banner.text,
            "article": related_article_representation(article) if article is not None else None,
            "expires_at": banner.expires_at.isoformat(),
        }


class LiveBlogLeadImageField(Field):
    """A live blog's lead image and its renditions, shaped as an article's (no caption)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, page) -> ImageDict | None:
        if page.lead_image is None:
            return None
        return image_representation(page.lead_image)


class LivePostsUrlField(Field):
    """Where the live blog's posts are read, newest first, paged, with ?since= (its posts are
    not in the page's own representation: they change every few seconds).

    Example: "http://localhost/api/v2/live_blogs/42/posts/"
    """

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, page) -> str:
        request = self.context.get("request")
        path = f"/api/v2/live_blogs/{page.pk}/posts/"
        return request.build_absolute_uri(path) if request is not None else path


# The representation front ends build on: the same in API v2 and v3, list and detail.
SectionPage.api_fields = [
    APIField("intro", serializer=TextField()),
    APIField("front", serializer=FrontField()),
    APIField("breaking_news", serializer=BreakingNewsField()),
]
ArticlePage.api_fields = [
    APIField("intro", serializer=TextField()),
    APIField("teaser", serializer=TextField()),
    APIField("dateline", serializer=TextField()),
    APIField("byline", serializer=TextField()),
    APIField("authors", serializer=AuthorsField()),
    APIField("section", serializer=SectionField()),
    APIField("tags", serializer=TagsField()),
    APIField("first_published_at"),
    APIField("last_published_at"),
    APIField("lead_image", serializer=LeadImageField()),
    APIField("body"),
    APIField("related_articles", serializer=RelatedArticlesField()),
    APIField("corrections", serializer=CorrectionsField()),
]
LiveBlogPage.api_fields = [
    APIField("intro", serializer=TextField()),
    APIField("status", serializer=TextField()),
    APIField("coverage_start"),
    APIField("coverage_end"),
    APIField("section", serializer=SectionField()),
    APIField("first_published_at"),
    APIField("last_published_at"),
    APIField("lead_image", serializer=LiveBlogLeadImageField()),
    APIField("posts_url", serializer=LivePostsUrlField()),
]
# The chosen lead story is shown only while live and public; a draft's title never leaks.
HomePage.api_fields = [
    APIField("lead_article", serializer=LeadArticleField()),
    APIField("front", serializer=FrontField()),
    APIField("breaking_news", serializer=BreakingNewsField()),
]
