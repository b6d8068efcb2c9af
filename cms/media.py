"""Media on one machine: the app serves pictures from MEDIA_ROOT when no bucket or proxy does."""

import posixpath

from django.conf import settings
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.static import serve

# Only pictures: renditions and originals. Documents go out through Wagtail's view alone,
# which checks their collection's privacy (WAGTAILDOCS_SERVE_METHOD = "serve_view").
PUBLIC_MEDIA_FOLDERS = ("images/", "original_images/")


@require_safe
def serve_media(request, path):
    """A picture under MEDIA_ROOT, when NEWS_SERVE_MEDIA is on (production without a bucket
    and without NEWS_SERVE_MEDIA=false); 404 for anything else.

    Django's static `serve` joins the path safely (nothing outside MEDIA_ROOT), lists no
    folders and answers If-Modified-Since with 304. A rendition's file never changes under
    its name (a new focal point or file makes a new name), so browsers and CDNs keep it
    for NEWS_MEDIA_MAX_AGE. Behind nginx, serve MEDIA_ROOT/images/ there and turn this off.
    """
    # Normalised first: "images/../documents/x.pdf" is a document, not a picture.
    path = posixpath.normpath(path).lstrip("/")
    if not settings.NEWS_SERVE_MEDIA or not path.startswith(PUBLIC_MEDIA_FOLDERS):
        raise Http404("Not a public picture.")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    patch_cache_control(response, public=True, max_age=settings.NEWS_MEDIA_MAX_AGE)
    return response
