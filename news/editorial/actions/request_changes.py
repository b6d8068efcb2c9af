"""Send a story in review back to its writer, with the editor's comment."""

from django.core.exceptions import ValidationError

from .base import ReviewAction


class RequestChangesAction(ReviewAction):
    """Reject the Desk review of `page` with a comment; the writer is emailed and may resubmit.

    check() raises EditorialPermissionError for a user who may not review (a Writer),
    EditorialStateError when the story is not in review, and ValidationError without a comment.
    """

    task_action = "reject"
    role_message = "Only Editors can request changes."

    def check(self):
        super().check()
        if not self.comment.strip():
            raise ValidationError("Say what needs changing: a comment is required.")
