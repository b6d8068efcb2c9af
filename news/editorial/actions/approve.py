"""Approve a story in review: it is published at once, or scheduled if it has a go-live date."""

from ..second_read import check_second_read
from .base import ReviewAction


class ApproveAction(ReviewAction):
    """Approve the Desk review of `page`; Wagtail then publishes (or schedules) its latest revision.

    check() raises EditorialPermissionError for a user who may not approve (a Writer),
    EditorialStateError when the story is not in review, and SelfApprovalError when the
    user wrote part of the version that would go live (news/editorial/second_read.py).
    """

    task_action = "approve"
    role_message = "Only Editors can approve stories."

    def check_task_offers_action(self):
        # Checked first so that an author hears why, not just "not a reviewer".
        check_second_read(self.user, self.page)
        super().check_task_offers_action()
