"""The wire desk on Wagtail's v3 API (registered in cms/api.py).

POST /api/v3/wire/ninjs/?section=world&submit=true   agencies push one ninjs item or a list
GET  /api/v3/pages/{id}/ninjs/?version=2             a live article as ninjs 1.x, 2.x or 3.x
"""

# Errors are RFC 7807 problem documents, like the rest of v3: 401 without a valid bearer
# token, 403 when its user lacks news.ingest_wire, 400 for an unknown section or malformed
# JSON, 413 for a body or list too large, 422 for items that are not valid ninjs stories
# (`errors` name each problem's JSON path), 404 for an article that is not live and public.

import json
from http import HTTPStatus
from typing import Annotated, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from wagtail.api.v3.auth import AllowAnonymous, BearerTokenAuth
from wagtail.api.v3.errors import problem_response
from wagtail.models import Site

from cms.caching import answers
from news.dependencies import article_keys
from news.editorial.api import problem_responses
from news.models import ArticlePage

from .export import NinjsItem, article_ninjs
from .importer import OUTCOMES, IngestError, SectionError, WireDesk, resolve_section
from .permissions import can_ingest

# The largest id the databases store (a signed 64-bit integer); beyond it is a 422.
PageId = Annotated[int, Field(ge=1, le=2**63 - 1)]
OutcomeLiteral = Literal[OUTCOMES]

push_router = Router(tags=["wire"], auth=BearerTokenAuth())
export_router = Router(tags=["wire"], auth=[AllowAnonymous()])

NINJS_ITEM = {
    "type": "object",
    "description": "A ninjs 1.x, 2.x or 3.x text item, e.g. "
    '{"uri": "urn:agency:1", "type": "text", "version": "1", '
    '"headlines": [{"role": "main", "value": "Dam holds"}], "by": "Ann Lee, AFP", '
    '"bodies": [{"role": "html", "contenttype": "text/html", "value": "<p>The dam held.</p>"}]}',
}
PUSH_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        NINJS_ITEM,
                        {"type": "array", "items": NINJS_ITEM, "minItems": 1},
                    ]
                }
            }
        },
    }
}


class ItemResultSchema(Schema):
    """What became of one item, e.g. ``{"uri": "urn:agency:1", "outcome": "created",
    "article_id": 42, "version": "1", "message": "", "warnings": []}``."""

    uri: str
    outcome: OutcomeLiteral
    article_id: int | None
    version: str
    message: str
    warnings: list[str]


class IngestSummarySchema(Schema):
    """Counts by outcome, and each item's result in the order sent."""

    counts: dict[str, int]
    items: list[ItemResultSchema]


def read_payload(request):
    try:
        body = request.body
    except RequestDataTooBig as e:
        raise HttpError(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "The request body is too large."
        ) from e
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as e:
        raise HttpError(HTTPStatus.BAD_REQUEST, f"The body is not JSON: {e}") from e
    if isinstance(payload, list) and len(payload) > settings.NEWS_WIRE_MAX_ITEMS:
        raise HttpError(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            f"Send at most {settings.NEWS_WIRE_MAX_ITEMS} items at a time.",
        )
    return payload


@push_router.post(
    "/ninjs/",
    response=IngestSummarySchema,
    openapi_extra={**PUSH_BODY, **problem_responses(400, 401, 403, 413, 422)},
    url_name="wire_ninjs_ingest",
    summary="Ingest agency copy in ninjs (one item or a list) as drafts for review",
    operation_id="wire_ninjs_ingest",
)
def ingest_ninjs(request, section: str | None = None, submit: bool = True):
    """One transaction: an invalid item (422) leaves nothing ingested."""
    if not can_ingest(request.user):
        raise PermissionDenied("Only the wire desk (news.ingest_wire) can push agency copy.")
    try:
        section_page = resolve_section(section)
    except SectionError as e:
        raise HttpError(HTTPStatus.BAD_REQUEST, str(e)) from e
    payload = read_payload(request)
    desk = WireDesk(section_page, request.user, submit=submit)
    try:
        results = desk.ingest(payload)
    except IngestError as e:
        return problem_response(status=422, detail=str(e), errors=e.errors)
    counts = {outcome: 0 for outcome in OUTCOMES}
    for result in results:
        counts[result.outcome] += 1
    return {"counts": counts, "items": [result.as_dict() for result in results]}


@export_router.get(
    "/{page_id}/ninjs/",
    response=NinjsItem,
    openapi_extra=problem_responses(404, 422),
    url_name="pages_ninjs",
    summary="A live article as IPTC ninjs",
    operation_id="pages_ninjs_detail",
)
def page_ninjs(request, page_id: PageId, version: Literal["1", "2", "3"] = "3"):
    """Valid against the official schema of the version asked for (1.6, 2.2 or 3.1)."""
    # Only what the site publishes: a live page outside the site's tree has no public URL,
    # and v3's own detail refuses it too.
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    article = get_object_or_404(ArticlePage.objects.live().public().in_site(site), pk=page_id)
    answers(*article_keys(article))  # for the response cache (cms/caching.py)
    return article_ninjs(article, version)
