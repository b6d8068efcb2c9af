"""The named image sizes: one set of rendition specs shared by the templates and the API."""

from functools import cache

from django_tasks import task

# Changing a spec here creates new renditions on first use; old ones stay until deleted.
RENDITIONS = {
    "thumbnail": "fill-480x270-c100",
    "small": "width-480",
    "medium": "width-960",
    "large": "width-1600",
}

# Widths offered to the browser in `srcset` for a full-width picture (same aspect ratio).
SRCSET_SIZES = ("small", "medium", "large")


def rendition_specs(*names):
    """The filter specs of the named sizes (all of them when none is named)."""
    return [RENDITIONS[name] for name in (names or RENDITIONS)]


@cache
def rendition_filter(name):
    """The named size as a Wagtail Filter, built once: parsing a spec costs more than using it."""
    from wagtail.images.models import Filter

    return Filter(spec=RENDITIONS[name])


def rendition_filters(*names):
    """Filters of the named sizes (all of them when none is named), for image.get_renditions()."""
    return [rendition_filter(name) for name in (names or RENDITIONS)]


@task()
def warm_renditions(image_ids):
    """Creates every named size of these pictures before the first reader asks; returns how
    many pictures there were."""
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

    from news.models import ArticlePage

    page_published.connect(
        on_article_published, sender=ArticlePage, dispatch_uid="newsroom-warm-renditions"
    )


def preview(request, image_id, filter_spec):
    """Wagtail's admin image preview, for our named sizes only (404 for any other spec).

    Wagtail's preview renders any filter spec an editor types (it backs the URL generator,
    which is off here because Wagtail's dynamic serve view is not mounted); an unbounded
    choice of specs is a way to make the server resize pictures at will.
    """
    from django.http import Http404
    from wagtail.images.views.images import preview as wagtail_preview

    if filter_spec not in RENDITIONS.values():
        raise Http404("Only the named image sizes can be previewed.")
    return wagtail_preview(request, image_id, filter_spec)
