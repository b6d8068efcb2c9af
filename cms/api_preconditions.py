"""Optimistic concurrency for page writes over API v3: ETag and If-Match name revisions.

An editor's client reads a page (GET /api/v3/pages/{id}/ with a token) and gets
`ETag: "r<latest revision id>-<digest of the body>"`. Sending that ETag back as
`If-Match` on PATCH applies the change only if the page's latest revision is still the
one the client read; otherwise the answer is 412 (a problem document naming the latest
revision) and nothing changes, so two editors never overwrite each other silently.
`If-Match: *` and no If-Match at all keep Wagtail's last-write-wins behaviour.

Only authenticated responses carry the revision ETag: the latest revision can be a
draft, which anonymous readers must not learn about. `install()` adds the decorators to
the v3 API in cms/api.py.
"""

import hashlib
import inspect
import re
from functools import wraps

from django.db import transaction
from wagtail.api.v3.errors import problem_response
from wagtail.api.v3.routers import pages as pages_router
from wagtail.models import Page

# A strong entity-tag naming a revision, as this module makes them: "r42-…" or "r42".
REVISION_TAG = re.compile(r'^"r(\d+)(?:-[0-9a-f]*)?"$')
TAGGED_OPERATIONS = ("pages_detail", "pages_update")


def revision_etag(revision_id, content):
    digest = hashlib.sha256(content).hexdigest()[:16]
    return f'"r{revision_id}-{digest}"'


def revisions_named(if_match):
    """The revision ids the entity-tags of an If-Match header name (weak tags name none)."""
    return {
        int(match[1]) for tag in if_match.split(",") if (match := REVISION_TAG.match(tag.strip()))
    }


def check_if_match(view_func):
    """Operation decorator for page update: 412 unless If-Match names the latest revision.

    It runs after authentication; a caller who may not edit the page gets the view's own
    403/404, never a 412 that would tell them about the page's revisions.
    """
    if view_func is not pages_router.update_page:
        return view_func

    @wraps(view_func)
    def guarded(request, page_id, **kwargs):
        if_match = request.headers.get("If-Match")
        if if_match is None or if_match.strip() == "*":
            return view_func(request, page_id=page_id, **kwargs)
        with transaction.atomic():
            # Locked until the new revision is saved: no second writer slips in between.
            page = Page.objects.select_for_update().filter(pk=page_id).first()
            if page is None or not page.permissions_for_user(request.user).can_edit():
                return view_func(request, page_id=page_id, **kwargs)
            if page.latest_revision_id not in revisions_named(if_match):
                return precondition_failed(page)
            return view_func(request, page_id=page_id, **kwargs)

    return guarded


def precondition_failed(page):
    response = problem_response(
        status=412,
        detail=(
            f"The page has changed since the version named in If-Match: its latest "
            f"revision is {page.latest_revision_id}. Read the page again, reapply the "
            f"change and send the new ETag."
        ),
    )
    response["ETag"] = f'"r{page.latest_revision_id}"'
    return response


def tag_with_revision(run):
    """View decorator: an authenticated page read or update names the latest revision."""
    # Other view decorators may wrap the operation's bound `run` before this one.
    if inspect.unwrap(run).__self__.operation_id not in TAGGED_OPERATIONS:
        return run

    @wraps(run)
    def tagged(request, *args, **kwargs):
        response = run(request, *args, **kwargs)
        user = getattr(request, "user", None)
        if response.status_code == 200 and user is not None and user.is_authenticated:
            revision_id = (
                Page.objects.filter(pk=kwargs.get("page_id"))
                .values_list("latest_revision_id", flat=True)
                .first()
            )
            if revision_id is not None:
                response["ETag"] = revision_etag(revision_id, response.content)
        return response

    return tagged


def install(api):
    api.add_decorator(tag_with_revision, mode="view")
    api.add_decorator(check_if_match, mode="operation")
