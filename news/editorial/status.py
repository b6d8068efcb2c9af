"""An article's editorial status, derived from Wagtail's own page, revision and workflow state."""

# Nothing is stored twice: the status is read off `live`, `has_unpublished_changes`,
# `first_published_at`, scheduled revisions (`approved_go_live_at`) and the page's current
# WorkflowState. editorial_status_of() works on one page; editorial_status_expression() is
# the same rule in SQL, for listings and filters.

import swapper
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, CharField, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Cast
from wagtail.models import Revision, WorkflowState

#: The queryset annotation that carries the status (see editorial_status_expression()).
ANNOTATION = "editorial_status_value"


class EditorialStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    PUBLISHED_WITH_DRAFT = "published_with_draft", "Published, with a newer draft"
    UNPUBLISHED = "unpublished", "Unpublished"


def editorial_status_of(page):
    """The EditorialStatus of `page`, from its annotation when a listing added one."""
    if ANNOTATION in page.__dict__:
        return EditorialStatus(page.__dict__[ANNOTATION])
    workflow_state = page.current_workflow_state
    if workflow_state is not None:
        if workflow_state.status == WorkflowState.STATUS_IN_PROGRESS:
            return EditorialStatus.IN_REVIEW
        if workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            return EditorialStatus.CHANGES_REQUESTED
    if page.pk is not None and page.approved_schedule:
        return EditorialStatus.SCHEDULED
    if page.live:
        if page.has_unpublished_changes:
            return EditorialStatus.PUBLISHED_WITH_DRAFT
        return EditorialStatus.PUBLISHED
    if page.first_published_at is not None:
        return EditorialStatus.UNPUBLISHED
    return EditorialStatus.DRAFT


def editorial_status_expression():
    """editorial_status_of() as a SQL expression over a page queryset (same order of rules)."""
    Page = swapper.load_model("wagtailcore", "Page")
    page_type = ContentType.objects.get_for_model(Page)
    # Revision and WorkflowState keep the page id as text (a generic relation).
    page_id = Cast(OuterRef("pk"), output_field=CharField())
    workflow_states = WorkflowState.objects.filter(base_content_type=page_type, object_id=page_id)
    return Case(
        When(
            Exists(workflow_states.filter(status=WorkflowState.STATUS_IN_PROGRESS)),
            then=Value(EditorialStatus.IN_REVIEW.value),
        ),
        When(
            Exists(workflow_states.filter(status=WorkflowState.STATUS_NEEDS_CHANGES)),
            then=Value(EditorialStatus.CHANGES_REQUESTED.value),
        ),
        When(
            Exists(
                Revision.objects.filter(
                    base_content_type=page_type,
                    object_id=page_id,
                    approved_go_live_at__isnull=False,
                )
            ),
            then=Value(EditorialStatus.SCHEDULED.value),
        ),
        When(
            Q(live=True, has_unpublished_changes=True),
            then=Value(EditorialStatus.PUBLISHED_WITH_DRAFT.value),
        ),
        When(live=True, then=Value(EditorialStatus.PUBLISHED.value)),
        When(first_published_at__isnull=False, then=Value(EditorialStatus.UNPUBLISHED.value)),
        default=Value(EditorialStatus.DRAFT.value),
        output_field=CharField(),
    )
