"""A kill from the agency (pubstatus canceled or withheld): take the story down, with the reason."""

from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.log_actions import log
from wagtail.models import WorkflowState

from news.editorial.actions import EditorialPermissionError

from ..permissions import can_ingest


class KillWireStoryAction:
    """Unpublish `page`, cancel its schedule and its review, logged as the wire user with `reason`.

    The wire user has no publish right: the desk acts for the agency, so Wagtail's
    UnpublishPageAction runs with skip_permission_checks once check() has confirmed the user
    holds news.ingest_wire. The reason is the log entries' comment (the story's history).
    """

    def __init__(self, page, user, reason):
        self.page = page
        self.user = user
        self.reason = reason

    def check(self):
        if not can_ingest(self.user):
            raise EditorialPermissionError("Only the wire desk can withdraw agency copy.")

    def execute(self):
        self.check()
        page = self.page
        data = {"comment": self.reason, "reason": self.reason}
        if page.live:
            UnpublishPageAction(page, user=self.user, log_action=False).execute(
                skip_permission_checks=True
            )
            log(instance=page, action="wagtail.unpublish", user=self.user, data=data)
        # An embargoed story approved for later must not go out either.
        for revision in page.revisions.filter(approved_go_live_at__isnull=False):
            revision.approved_go_live_at = None
            revision.save(update_fields=["approved_go_live_at"])
            log(
                instance=page,
                action="wagtail.schedule.cancel",
                user=self.user,
                revision=revision,
                data={
                    **data,
                    "revision": {
                        "id": revision.pk,
                        "created": revision.created_at.isoformat(),
                        "go_live_at": page.go_live_at.isoformat() if page.go_live_at else None,
                        "has_live_version": page.live,
                    },
                },
            )
        workflow_state = page.current_workflow_state
        if workflow_state is not None and workflow_state.status in (
            WorkflowState.STATUS_IN_PROGRESS,
            WorkflowState.STATUS_NEEDS_CHANGES,
        ):
            workflow_state.cancel(user=self.user)
        return page
