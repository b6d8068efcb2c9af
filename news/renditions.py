"""The named image sizes: one set of rendition specs shared by the templates and the API."""

from functools import cache

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
