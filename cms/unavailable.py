"""503 with Retry-After, not 500, for a request that needed the database while it was down.

Django's handler500 (cms/urls.py) comes here for every uncaught exception. One that says the
database could not be reached or answered (OperationalError, InterfaceError, anywhere in its
chain) is an outage the client should wait out: readers get templates/503.html, the API a
JSON error (v2 `{"message": …}`, v3 RFC 7807 problem+json), the admin's autosave the JSON it
understands. Anything else is still the 500 page.
"""

import json
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

RETRY_AFTER_SECONDS = 30
MESSAGE = "The service is briefly unavailable: its database does not answer. Try again shortly."
EDITOR_MESSAGE = (
    "The database does not answer, so this was not saved. Your text is still in the editor; "
    "it is saved again on your next change once the database answers."
)


def is_database_outage(error):
    """Whether error, or one it was raised from or during, is a database connection failure."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def service_unavailable(request):
    path = request.path
    if path.startswith("/api/v3/"):
        problem = {"type": "about:blank", "title": "Service Unavailable", "status": 503}
        response = HttpResponse(
            json.dumps({**problem, "detail": MESSAGE}),
            status=503,
            content_type="application/problem+json",
        )
    elif path.startswith("/api/"):
        response = JsonResponse({"message": MESSAGE}, status=503)
    elif "application/json" in request.headers.get("Accept", ""):
        # The admin's autosave (Wagtail 8) shows "Autosave is paused", keeps the form as it is
        # and saves again on the next change.
        response = JsonResponse(
            {"success": False, "error_code": "server_error", "error_message": EDITOR_MESSAGE},
            status=503,
        )
    else:
        editing = request.method == "POST" and path.startswith("/admin/")
        content = loader.render_to_string("503.html", {"editing": editing})
        response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, *args, **kwargs):
    """handler500: a 503 for a database outage, Django's 500 page (templates/500.html) else."""
    if is_database_outage(sys.exc_info()[1]):
        return service_unavailable(request)
    return defaults.server_error(request, *args, **kwargs)
