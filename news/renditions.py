"""The named image sizes: one set of rendition specs shared by the templates and the API, and
the API's shape of a picture with them."""

from functools import cache

from django.apps import apps
from django_tasks import task
from typing_extensions import TypedDict  # pydantic (API v3) needs this one on Python < 3.12

from cms.caching import shows
from news.dependencies import image_key

# Changing a spec here creates new renditions on first use; old ones stay until deleted.
RENDITIONS = {
    "thumbnail": "fill-480x270-c100",
    "small": "width-480",
    "medium": "width-960",
    "large": "width-1600",
}

# Widths offered to the browser in `srcset` for a full-width picture (same aspect ratio).
SRCSET_SIZES = ("small", "medium", "large")

# Each size is also made in these formats, beside its own (the original's format: JPEG for
# photos), best first: the order of the <source> elements of a <picture>, whose <img> falls
# back to the size's own format. Pillow encodes AVIF itself since 11.3 (libavif in its wheels).
MODERN_FORMATS = {"avif": "image/avif", "webp": "image/webp"}


def spec_of(name, image_format=None):
    """The filter spec of a named size, in a modern format when one is named.

    Example: spec_of("small", "avif") -> "width-480|format-avif"
    """
    spec = RENDITIONS[name]
    return f"{spec}|format-{image_format}" if image_format else spec


def rendition_specs(*names):
    """The filter specs of the named sizes (all of them when none is named), each in its own
    format and in every modern format."""
    return [
        spec_of(name, image_format)
        for name in (names or RENDITIONS)
        for image_format in (None, *MODERN_FORMATS)
    ]


@cache
def rendition_filter(name, image_format=None):
    """The named size as a Wagtail Filter, built once: parsing a spec costs more than using it."""
    from wagtail.images.models import Filter

    return Filter(spec=spec_of(name, image_format))


def rendition_filters(*names):
    """Filters of the named sizes (all when none is named) in every format, for
    image.get_renditions()."""
    return [
        rendition_filter(name, image_format)
        for name in (names or RENDITIONS)
        for image_format in (None, *MODERN_FORMATS)
    ]


def renditions_of(image, *names):
    """{name: {format: rendition}} of the named sizes (all when none is named); the size's own
    format is under None. One batch: prefetched renditions or one query, then the missing made."""
    found = image.get_renditions(*rendition_filters(*names))
    return {
        name: {
            image_format: found[spec_of(name, image_format)]
            for image_format in (None, *MODERN_FORMATS)
        }
        for name in (names or RENDITIONS)
    }


class RenditionFormatsDict(TypedDict):
    avif: str
    webp: str


class RenditionDict(TypedDict):
    url: str
    width: int
    height: int
    formats: RenditionFormatsDict


class FocalPointDict(TypedDict):
    x: int
    y: int
    width: int
    height: int


class ImageDict(TypedDict):
    id: int
    title: str
    alt: str
    caption: str
    credit: str
    width: int
    height: int
    focal_point: FocalPointDict | None
    renditions: dict[str, RenditionDict]


def rendition_representation(by_format) -> RenditionDict:
    """One size of a picture: its own format's URL and dimensions, and its modern formats' URLs.

    Example: {"url": "http://…/harbour.width-480.jpg", "width": 480, "height": 320,
    "formats": {"avif": "http://…/harbour.width-480.format-avif.avif", "webp": "…"}}
    """
    rendition = by_format[None]
    return {
        "url": rendition.full_url,
        "width": rendition.width,
        "height": rendition.height,
        "formats": {name: by_format[name].full_url for name in MODERN_FORMATS},
    }


def image_representation(image, *, alt="", caption="", credit="") -> ImageDict:
    """An image with its named renditions (made once, then found in the database or cache)."""
    shows(image_key(image.pk))
    renditions = renditions_of(image)
    focal_point = None
    if image.has_focal_point():
        focal_point = {
            "x": image.focal_point_x,
            "y": image.focal_point_y,
            "width": image.focal_point_width,
            "height": image.focal_point_height,
        }
    return {
        "id": image.pk,
        "title": image.title,
        "alt": alt or image.description or "",
        "caption": caption,
        "credit": credit,
        "width": image.width,
        "height": image.height,
        "focal_point": focal_point,
        "renditions": {
            name: rendition_representation(by_format) for name, by_format in renditions.items()
        },
    }


@task()
def warm_renditions(image_ids):
    """Creates every named size of these pictures, in every format, before the first reader
    asks; returns how many pictures there were. AVIF is the slow one (about a second for the
    largest size), which is why this runs as a task and not on a reader's request."""
    from wagtail.images import get_image_model

    images = list(get_image_model().objects.filter(pk__in=image_ids))
    for image in images:
        image.get_renditions(*rendition_filters())
    return len(images)


def pictures_of(article):
    """The ids of an article's lead image and body images."""
    ids = {article.lead_image_id}
    for block in article.body.raw_data:
        if block["type"] == "image":
            ids.add((block["value"] or {}).get("image"))
    return sorted(pk for pk in ids if pk)


def on_article_published(sender, instance, **kwargs):
    if ids := pictures_of(instance):
        warm_renditions.enqueue(ids)


def connect_rendition_warmup():
    """Warm a story's renditions in the background whenever it is published."""
    from wagtail.signals import page_published

    page_published.connect(
        on_article_published,
        sender=apps.get_model("news", "ArticlePage"),
        dispatch_uid="newsroom-warm-renditions",
    )


def preview(request, image_id, filter_spec):
    """Wagtail's admin image preview, for our named sizes only (404 for any other spec).

    Wagtail's preview renders any filter spec an editor types (it backs the URL generator,
    which is off here because Wagtail's dynamic serve view is not mounted); an unbounded
    choice of specs is a way to make the server resize pictures at will.
    """
    from django.http import Http404
    from wagtail.images.views.images import preview as wagtail_preview

    if filter_spec not in rendition_specs():
        raise Http404("Only the named image sizes can be previewed.")
    return wagtail_preview(request, image_id, filter_spec)
