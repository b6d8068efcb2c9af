"""What every editorial action shares: its errors and the review task it acts on."""

from django.core.exceptions import PermissionDenied

from ..permissions import has_publish_role


class EditorialPermissionError(PermissionDenied):
    """The user's role does not allow this transition (HTTP 403 over the API)."""


class EditorialStateError(Exception):
    """The transition does not fit where the story stands, e.g. approving a draft (HTTP 409)."""


class ReviewAction:
    """An Editor's decision on a story in review: approve or request changes."""

    #: The Wagtail task action name ("approve" or "reject").
    task_action = ""
    #: Refusal for a user whose role cannot make this decision at all.
    role_message = ""

    def __init__(self, page, user, comment=""):
        self.page = page
        self.user = user
        self.comment = comment
        self.task_state = page.current_workflow_task_state
        self.task = self.task_state.task.specific if self.task_state else None

    def check_role(self):
        # Writers get a 403 whatever the story's state: reviewing is not their job.
        if not has_publish_role(self.user, self.page):
            raise EditorialPermissionError(self.role_message)

    def check_state(self):
        if self.task_state is None:
            raise EditorialStateError(
                "This story is not in review: it has to be submitted for review first."
            )

    def check_task_offers_action(self):
        offered = {name for name, _label, _modal in self.task.get_actions(self.page, self.user)}
        if self.task_action not in offered:
            raise EditorialPermissionError(
                f'You are not a reviewer of the "{self.task.name}" step for this story.'
            )

    def check(self):
        self.check_role()
        self.check_state()
        self.check_task_offers_action()

    def execute(self):
        self.check()
        self.task.on_action(self.task_state, self.user, self.task_action, comment=self.comment)
        return self.page.specific_class.objects.get(pk=self.page.pk)
