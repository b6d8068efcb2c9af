"""/favicon.ico: the site icon (static/favicon.ico), which browsers ask for on every site."""

from functools import cache

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe

ICON = "favicon.ico"


@cache
def icon_bytes():
    """The icon's bytes, read once per process from the static files."""
    path = finders.find(ICON)
    if path is None:
        raise Http404("No favicon.ico among the static files.")
    with open(path, "rb") as icon:
        return icon.read()


@require_safe
def favicon(request):
    """The icon itself (not a redirect); cached as reader pages are (cms/caching.py)."""
    return HttpResponse(icon_bytes(), content_type="image/x-icon")
