"""Gzip for what gunicorn answers itself: reader pages, the API and feeds, never the admin."""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware

# Text worth compressing; pictures and documents are compressed already.
COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/problem+json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/javascript",
    "image/svg+xml",
)


class CompressionMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, for text responses outside NEWS_UNCOMPRESSED_PATH_PREFIXES.

    BREACH recovers a secret from a compressed response's size when the attacker can also
    put text of his own into the same response. Reader pages, feeds and public API reads
    carry no secret: they are the same for every anonymous reader, cached and shared by
    CDNs, and their forms (search) are GET forms without a CSRF token. The admin is where
    CSRF tokens and editors' unpublished words sit beside text a request can echo, so it is
    left uncompressed: a few editors lose a little bandwidth, nothing else. Django also
    masks the CSRF token anew in every response and, since 4.2, pads each gzip stream with
    random bytes ("Heal the Breach"), which covers what remains (an editor's own userbar).
    """

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if request.path.startswith(settings.NEWS_UNCOMPRESSED_PATH_PREFIXES) or (
            not content_type.startswith(COMPRESSIBLE_TYPES)
        ):
            return response
        return super().process_response(request, response)
