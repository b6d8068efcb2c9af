"""Submit a story's latest revision for Desk review, or resubmit it after changes."""

from wagtail.models import WorkflowState

from .base import EditorialPermissionError, EditorialStateError


class SubmitForReviewAction:
    """Start the page's workflow on its latest revision (or resume it after changes requested).

    check() raises EditorialPermissionError when the user may not edit the story, and
    EditorialStateError when it is already in review, locked, or has no workflow.
    execute() returns the page's WorkflowState.
    """

    def __init__(self, page, user):
        self.page = page
        self.user = user
        self.workflow_state = page.current_workflow_state

    def check_permission(self):
        if not self.page.permissions_for_user(self.user).can_edit():
            raise EditorialPermissionError("You cannot edit this story, so you cannot submit it.")

    def check(self):
        self.check_permission()
        permissions = self.page.permissions_for_user(self.user)
        if self.page.get_workflow() is None:
            raise EditorialStateError("This page has no editorial workflow to submit it to.")
        if self.workflow_state and self.workflow_state.status == WorkflowState.STATUS_IN_PROGRESS:
            raise EditorialStateError("This story is already in review.")
        if permissions.page_locked():
            raise EditorialStateError("This story is locked by someone else.")
        if self.page.get_latest_revision() is None:
            raise EditorialStateError("This story has no saved version to submit.")

    def execute(self):
        self.check()
        if self.workflow_state and self.workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            self.workflow_state.resume(self.user)
            return self.workflow_state
        return self.page.get_workflow().start(self.page, self.user)
