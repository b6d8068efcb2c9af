"""Guards that answer a 4xx where Wagtail's API would crash on bad input (a 500).

Each guard covers one Wagtail bug, reported upstream; drop it once Wagtail fixes the bug.
`install()` adds the v3 ones to the API object in cms/api.py, before its URLs are built;
`QueryParameterGuardMiddleware` covers v2 and v3 alike.
"""

import inspect
from functools import wraps

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from ninja.parser import Parser
from pydantic import TypeAdapter, ValidationError
from wagtail.api.v3.errors import as_validation_error, problem_response
from wagtail.api.v3.routers import pages as pages_router
from wagtail.models import Page

from search.query_guard import problem

# The largest OFFSET SQLite and PostgreSQL accept: a signed 64-bit integer. Beyond it the
# query fails (SQLite "datatype mismatch", PostgreSQL "bigint out of range").
MAX_OFFSET = 2**63 - 1
SEARCH_OPERATORS = ("and", "or")

# Positions that put the moved page under the destination rather than beside it.
CHILD_POSITIONS = ("first-child", "last-child", "sorted-child")


class JSONObjectParser(Parser):
    """Ninja's JSON parser, refusing a body that is not a JSON object (400).

    Every v3 request body is an object. Page create and update pick their schema with a
    discriminator that crashes on anything else (`[null]` is an AttributeError in
    wagtail/api/v3/schemas/base.py `discriminate_meta_type`); Ninja answers a parser error
    with 400 "Cannot parse request body".
    """

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the request body must be a JSON object")
        return data


def refuse(message, field):
    """Answer 422, like any other invalid body field."""
    raise as_validation_error(ValueError(message), message, loc=("body", "data", field))


def is_root_page(page_id):
    return Page.objects.filter(pk=page_id, depth=1).exists()


def copy_needs_a_destination(page_id, data, **kwargs):
    # Wagtail looks for a free slug among the siblings of the root page, which has no parent.
    if data.destination_id is None and is_root_page(page_id):
        refuse(
            "The root page has no parent to copy it into; give destination_id.", "destination_id"
        )


def move_stays_under_the_root(page_id, data, **kwargs):
    # A sibling of the root page would have no parent: Wagtail's can_move_to() crashes on it.
    if data.position not in CHILD_POSITIONS and is_root_page(data.destination_id):
        refuse(
            "No page can be placed beside the root page; use position first-child or last-child.",
            "position",
        )


def user_id_is_a_user_key(filters, **kwargs):
    # Typed `int | str` for any user model, then compared with the user foreign key as is.
    if filters.user_id is not None:
        try:
            get_user_model()._meta.pk.to_python(filters.user_id)
        except DjangoValidationError as e:
            raise as_validation_error(e, e.messages[0], loc=("query", "user_id")) from e


GUARDS = {
    pages_router.list_page_revisions: user_id_is_a_user_key,
    pages_router.copy: copy_needs_a_destination,
    pages_router.create_alias: copy_needs_a_destination,
    pages_router.move: move_stays_under_the_root,
}


def guard_operation(view_func):
    """Ninja operation decorator: run the view's guard on its validated arguments first."""
    guard = GUARDS.get(view_func)
    if guard is None:
        return view_func

    @wraps(view_func)
    def guarded(request, **kwargs):
        guard(**kwargs)
        return view_func(request, **kwargs)

    return guarded


def integer_page_id(request, page_id, **kwargs):
    """A 422 for a page_id that is not an integer, as Ninja answers for other operations.

    Page update reads the page's type for its body schema from the raw `page_id` before
    Ninja validates it (wagtail/api/v3/schemas/pages.py `PageTypeInjectingBodyModel`), and
    `Page.objects.filter(pk="abc")` is a ValueError.
    """
    try:
        TypeAdapter(int).validate_python(page_id)
    except ValidationError as e:
        errors = [
            {"type": error["type"], "loc": ["path", "page_id"], "msg": error["msg"]}
            for error in e.errors(include_url=False)
        ]
        return problem_response(status=422, detail="Validation failed", errors=errors)
    return None


REQUEST_GUARDS = {"pages_update": integer_page_id}


def guard_request(run):
    """Ninja view decorator: check the raw request of an operation before Ninja parses it.

    It runs before authentication too, so it must not reveal anything but the input's shape.
    """
    guard = REQUEST_GUARDS.get(inspect.unwrap(run).__self__.operation_id)
    if guard is None:
        return run

    @wraps(run)
    def guarded(request, *args, **kwargs):
        return guard(request, **kwargs) or run(request, *args, **kwargs)

    return guarded


def install(api):
    api.parser = JSONObjectParser()
    api.add_decorator(guard_request, mode="view")
    api.add_decorator(guard_operation, mode="operation")


def refused_query(request):
    """Why the API would crash on this request's query string, or None.

    - A null character is never meaningful in a query parameter, and PostgreSQL refuses it
      in text (a DataError) wherever Wagtail passes one on unchecked, e.g. `find?html_path=`.
    - `offset` goes to the database unchecked, on v2 and v3 alike.
    - On v2, `find` passes `id` to `queryset.get(id=…)` unparsed (wagtail/api/v2/views.py
      `find_object`), and `search_operator` reaches the search backend, which raises
      ValueError for anything but "and" and "or" (v3 validates both itself).
    - v2 answers JSON only; DRF would answer another `format` with an empty 404.
    """
    if any("\x00" in value for _name, values in request.GET.lists() for value in values):
        return "query parameters may not contain null characters"
    try:
        offset = int(request.GET.get("offset", 0))
    except ValueError:
        offset = 0  # not a number: the API's own answer says so
    if offset > MAX_OFFSET:
        return f"offset cannot be higher than {MAX_OFFSET}"
    if request.path.startswith("/api/v2/") and request.path.endswith("/find/"):
        item_id = request.GET.get("id")
        if item_id is not None and not (item_id.isascii() and item_id.isdigit()):
            return "id must be a positive integer"
    if request.path.startswith("/api/v2/"):
        if request.GET.get("search_operator", "and") not in SEARCH_OPERATORS:
            return 'search_operator must be "and" or "or"'
        if request.GET.get("format", "json") != "json":
            return 'format must be "json": this API answers JSON only'
    return None


class QueryParameterGuardMiddleware:
    """Answers 400 with a JSON error for API query parameters Wagtail would crash on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(settings.NEWS_API_PATH_PREFIXES):
            if reason := refused_query(request):
                return problem(400, reason, v3=request.path.startswith("/api/v3/"))
        return self.get_response(request)
