"""A 413 JSON answer for API request bodies over the limit, before anything reads them.

Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE only when a view reads it, with
an HTML "400 Bad Request"; the API answers in JSON, and says what the limit is.
"""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from wagtail.api.v3.errors import problem_response


def body_limit(request):
    """The most bytes a body to this request may carry.

    JSON bodies (page writes, wire pushes) get DATA_UPLOAD_MAX_MEMORY_SIZE; a multipart
    upload may add one file of the largest size the image or document limits allow.
    """
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if request.content_type == "multipart/form-data":
        limit += max(settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE, settings.WAGTAILDOCS_MAX_UPLOAD_SIZE)
    return limit


def error(request, status, detail):
    if request.path.startswith("/api/v3/"):
        return problem_response(status=status, detail=detail)
    return HttpResponse(
        json.dumps({"message": detail}), status=status, content_type="application/json"
    )


def too_large(request):
    return error(
        request,
        413,
        f"The request body is over the limit of {filesizeformat(body_limit(request))}.",
    )


class RequestBodySizeMiddleware:
    """Answers 413 (JSON) for an API request whose Content-Length is over its limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(settings.NEWS_API_PATH_PREFIXES):
            length = request.META.get("CONTENT_LENGTH") or "0"
            if not (length.isascii() and length.isdigit()):
                return error(request, 400, "Content-Length must be a number of bytes.")
            if int(length) > body_limit(request):
                return too_large(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        # A multipart body within the limit whose fields alone are over Django's.
        if isinstance(exception, RequestDataTooBig) and request.path.startswith(
            settings.NEWS_API_PATH_PREFIXES
        ):
            return too_large(request)
        return None
