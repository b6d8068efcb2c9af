"""The editorial workflow on Wagtail's v3 API, under /api/v3/pages/ (registered in cms/api.py)."""

# The endpoints run the same actions (news/editorial/actions/), so the same rules, as the
# admin. Errors are RFC 7807 problem documents: 401 without a valid bearer token, 403 when
# the role or the second-read rule forbids the transition, 404 for a page the user cannot
# see, 409 when the transition does not fit the story's state, 422 for a bad body.

from datetime import datetime
from http import HTTPStatus
from typing import Annotated, Literal

from django.shortcuts import get_object_or_404
from ninja import Body, Router, Schema
from ninja.errors import HttpError
from pydantic import AfterValidator, PositiveInt
from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.api.v3.errors import PROBLEM_JSON, ProblemDetail
from wagtail.api.v3.querysets import get_pages_queryset

from .actions import (
    ApproveAction,
    EditorialPermissionError,
    EditorialStateError,
    RequestChangesAction,
    SubmitForReviewAction,
)
from .history import HISTORY_ACTIONS, editorial_history
from .permissions import has_publish_role
from .status import EditorialStatus, editorial_status_of

router = Router(tags=["editorial workflow"], auth=BearerTokenAuth())

EditorialStatusLiteral = Literal[tuple(EditorialStatus.values)]
HistoryActionLiteral = Literal[tuple(dict.fromkeys(HISTORY_ACTIONS.values()))]


def problem_responses(*statuses):
    """OpenAPI entries for the RFC 7807 errors an operation answers with (problem+json)."""
    schema = ProblemDetail.model_json_schema()
    return {
        "responses": {
            str(status): {
                "description": HTTPStatus(status).phrase,
                "content": {PROBLEM_JSON: {"schema": schema}},
            }
            for status in statuses
        }
    }


READ_ERRORS = problem_responses(401, 403, 404)
ACTION_ERRORS = problem_responses(401, 403, 404, 409, 422)


class UserSummarySchema(Schema):
    """Who did it, e.g. ``{"id": 7, "name": "Ada Editor"}``."""

    id: int
    name: str


class CurrentTaskSchema(Schema):
    """The review step a story is waiting on, e.g. ``{"id": 2, "name": "Desk review", …}``."""

    id: int
    name: str
    started_at: datetime


class HistoryEntrySchema(Schema):
    """One transition, e.g. ``{"action": "changes_requested", "user": {…},
    "comment": "Source the second quote.", "time": "2026-11-27T09:14:03Z"}``."""

    action: HistoryActionLiteral
    user: UserSummarySchema | None
    comment: str
    time: datetime


class PageWorkflowSchema(Schema):
    """Where a story stands and how it got there, e.g. ``{"id": 42, "title": "Dam holds",
    "editorial_status": "in_review", "workflow": "Editorial review",
    "current_task": {…}, "history": [{"action": "submitted", …}]}``."""

    id: int
    title: str
    editorial_status: EditorialStatusLiteral
    workflow: str | None
    current_task: CurrentTaskSchema | None
    history: list[HistoryEntrySchema]


def no_null_characters(text):
    if "\x00" in text:
        raise ValueError("null characters are not allowed")
    return text


# Kept in the workflow history, and PostgreSQL cannot store a null character in text.
Comment = Annotated[str, AfterValidator(no_null_characters)]


class ApproveSchema(Schema):
    """An optional note to the writer, e.g. ``{"comment": "Clean copy."}``."""

    comment: Comment = ""


class RequestChangesSchema(Schema):
    """What the writer must change (required), e.g. ``{"comment": "Name the engineer."}``."""

    comment: Comment


def user_summary(user):
    if user is None:
        return None
    return {"id": user.pk, "name": user.get_full_name() or user.get_username()}


def page_workflow(page):
    workflow = page.get_workflow()
    task_state = page.current_workflow_task_state
    return {
        "id": page.pk,
        "title": page.get_admin_display_title(),
        "editorial_status": editorial_status_of(page).value,
        "workflow": workflow.name if workflow else None,
        "current_task": {
            "id": task_state.task_id,
            "name": task_state.task.name,
            "started_at": task_state.started_at,
        }
        if task_state
        else None,
        "history": [
            {
                "action": entry.action,
                "user": user_summary(entry.user),
                "comment": entry.comment,
                "time": entry.time,
            }
            for entry in editorial_history(page)
        ],
    }


def get_page(request, page_id):
    """The page, if the user may edit or publish it; 404 if they cannot see it at all."""
    page = get_object_or_404(get_pages_queryset(request), pk=page_id).specific
    if not (
        page.permissions_for_user(request.user).can_edit() or has_publish_role(request.user, page)
    ):
        raise EditorialPermissionError("You cannot work on this story.")
    return page


def run(action, page):
    """Execute an editorial action and return the page fresh from the database.

    A transition that does not fit the story's state is a 409.
    """
    try:
        action.execute()
    except EditorialStateError as e:
        raise HttpError(HTTPStatus.CONFLICT, str(e)) from e
    return page.specific_class.objects.get(pk=page.pk)


@router.get(
    "/{page_id}/workflow/",
    response=PageWorkflowSchema,
    openapi_extra=READ_ERRORS,
    url_name="page_workflow",
    summary="Editorial workflow of a page",
    operation_id="pages_workflow_detail",
)
def get_workflow(request, page_id: PositiveInt):
    return page_workflow(get_page(request, page_id))


@router.post(
    "/{page_id}/actions/submit/",
    response=PageWorkflowSchema,
    openapi_extra=ACTION_ERRORS,
    url_name="pages_actions_submit",
    summary="Submit a page for review",
    operation_id="pages_actions_submit",
)
def submit(request, page_id: PositiveInt):
    page = get_page(request, page_id)
    return page_workflow(run(SubmitForReviewAction(page, request.user), page))


@router.post(
    "/{page_id}/actions/approve/",
    response=PageWorkflowSchema,
    openapi_extra=ACTION_ERRORS,
    url_name="pages_actions_approve",
    summary="Approve a page in review (publishes it, or schedules it)",
    operation_id="pages_actions_approve",
)
def approve(
    request,
    page_id: PositiveInt,
    data: ApproveSchema = Body(ApproveSchema()),  # noqa: B008 (Ninja's way to declare a body)
):
    page = get_page(request, page_id)
    return page_workflow(run(ApproveAction(page, request.user, comment=data.comment), page))


@router.post(
    "/{page_id}/actions/request-changes/",
    response=PageWorkflowSchema,
    openapi_extra=ACTION_ERRORS,
    url_name="pages_actions_request_changes",
    summary="Send a page in review back to its writer with a comment",
    operation_id="pages_actions_request_changes",
)
def request_changes(
    request,
    page_id: PositiveInt,
    data: RequestChangesSchema = Body(...),  # noqa: B008 (Ninja's way to declare a body)
):
    page = get_page(request, page_id)
    action = RequestChangesAction(page, request.user, comment=data.comment)
    return page_workflow(run(action, page))
