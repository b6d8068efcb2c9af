"""Links never die quietly: a story taken down answers "410 Gone" instead of "404 Not Found"."""

from django.template.response import TemplateResponse
from wagtail.models import Site

from .models import ArticlePage


class GoneMiddleware:
    """Turns a 404 at the address of an unpublished story into a 410.

    Only stories that were once published count (Wagtail keeps `last_published_at` after
    unpublishing), so a draft that never went out still answers 404 and betrays nothing.
    The page says only that the story was removed, never its headline. Placed before
    wagtail's RedirectMiddleware, so a redirect from the old address wins.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            if was_unpublished(request):
                gone = TemplateResponse(request, "410.html", status=410)
                return gone.render()
        return response


def was_unpublished(request):
    """Whether the request's path is that of a story that was published and is no longer live."""
    path = request.path
    if "\0" in path or not path.endswith("/"):  # NUL crashes PostgreSQL; pages end with "/"
        return False
    site = Site.find_for_request(request)
    if site is None:
        return False
    url_path = site.root_page.url_path + path.lstrip("/")
    return (
        ArticlePage.objects.not_live()
        .filter(url_path=url_path, last_published_at__isnull=False)
        .exists()
    )
