"""Limits on search queries, applied before any query reaches a search backend.

Some inputs break Wagtail's search backends rather than finding nothing: an unbalanced
double quote is an FTS syntax error on SQLite, and a few thousand terms exhaust Python's
recursion limit on every backend. Queries are bounded and normalised here, once, for the
reader search and the APIs alike.
"""

import json
from http import HTTPStatus

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse

MAX_QUERY_LENGTH = 200
MAX_QUERY_TERMS = 32
# Query parameters that carry search text, by URL prefix.
GUARDED_PARAMETERS = ("search", "autocomplete")


class InvalidSearchQuery(ValueError):
    """A query refused outright: its message says why, for the reader or API client."""


def clean_query(text):
    """The query, normalised and safe to hand to a search backend; raises InvalidSearchQuery."""
    if "\x00" in text:
        raise InvalidSearchQuery("search text may not contain null characters")
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidSearchQuery(f"search text may be at most {MAX_QUERY_LENGTH} characters")
    terms = text.split()
    if len(terms) > MAX_QUERY_TERMS:
        raise InvalidSearchQuery(f"search text may have at most {MAX_QUERY_TERMS} words")
    cleaned = " ".join(terms)
    if cleaned.count('"') % 2:
        # An unmatched quote cannot be a phrase; read it as plain words.
        cleaned = " ".join(cleaned.replace('"', " ").split())
    return cleaned


def bound_query(text):
    """The query cut to the limits instead of refused: for screens with no way to say 400.

    The admin's searches (pages, images, documents, choosers) hand `q` to the same backends,
    where an unbalanced quote or thousands of terms is a 500 in Wagtail 8.0.1.
    """
    text = text.replace("\x00", " ")[:MAX_QUERY_LENGTH]
    return clean_query(" ".join(text.split()[:MAX_QUERY_TERMS]))


def problem(status, detail, *, v3):
    """A JSON error in the dialect of the API it answers for (RFC 7807 on v3)."""
    if v3:
        title = HTTPStatus(status).phrase
        body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
        return HttpResponse(
            json.dumps(body), status=status, content_type="application/problem+json"
        )
    return HttpResponse(
        json.dumps({"message": detail}), status=status, content_type="application/json"
    )


class SearchQueryGuardMiddleware:
    """Cleans the search parameters of API requests, or answers 400 with a JSON error; cuts
    the admin's `q` to the limits."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "q" in request.GET and request.path.startswith(reverse("wagtailadmin_home")):
            params = request.GET.copy()
            params["q"] = bound_query(params["q"])
            request.GET = params
        elif request.path.startswith(settings.NEWS_API_PATH_PREFIXES):
            params = request.GET.copy()
            for name in GUARDED_PARAMETERS:
                if name not in params:
                    continue
                try:
                    params[name] = clean_query(params[name])
                except InvalidSearchQuery as e:
                    return problem(400, str(e), v3=request.path.startswith("/api/v3/"))
            request.GET = params
        return self.get_response(request)
