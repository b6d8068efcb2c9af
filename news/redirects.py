"""Redirects that never point at an address that is not live.

Wagtail creates a permanent redirect from a page's old address whenever its slug changes or
it moves. A story that is not live changes its slug at once when a writer edits it (a live
story's does only when the change is published), so the redirect from the old address
would answer with the new, unreviewed address, and its headline, in `Location`. Redirects
to a page that is not live are therefore not served: they take effect when the story's new
address goes live. The same holds for redirects editors add by hand.
"""

from urllib.parse import urlparse

from wagtail.contrib.redirects.middleware import RedirectMiddleware, get_redirect
from wagtail.contrib.redirects.models import Redirect


def redirect_for(request):
    """The redirect Wagtail would follow for this request's address, or None."""
    path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
    return get_redirect(request, path) or get_redirect(request, urlparse(path).path)


class LiveRedirectMiddleware(RedirectMiddleware):
    """Wagtail's RedirectMiddleware, except for redirects to a page that is not live."""

    def process_response(self, request, response):
        if response.status_code == 404 and "\0" not in request.path:
            redirect = redirect_for(request)
            if redirect is not None and redirect.redirect_page_id is not None:
                if not redirect.redirect_page.live:
                    return response
        return super().process_response(request, response)
