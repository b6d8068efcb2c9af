"""Desk review: the workflow task in which an Editor gives a story its second read."""

from django import forms
from wagtail.models import AbstractGroupApprovalTask

from .second_read import check_second_read, needs_second_read


class RequestChangesForm(forms.Form):
    """Sending a story back always says why."""

    comment = forms.CharField(
        label="What needs changing",
        widget=forms.Textarea({"rows": 3}),
        help_text="The writer gets this by email and in the story's history.",
    )


class DeskReviewTask(AbstractGroupApprovalTask):
    """Group approval by Editors that never lets an author approve their own words.

    Wagtail's GroupApprovalTask offers Approve to every member of its groups. Approving
    publishes the page's latest revision, so an Editor who wrote part of it since it was
    last published is offered only "Request changes", and ``on_action`` refuses an approval
    sent anyway (also one whose edit view saved the approver's own changes first).
    """

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if needs_second_read(user, obj):
            actions = [action for action in actions if action[0] != "approve"]
        return actions

    def get_form_for_action(self, action):
        if action == "reject":
            return RequestChangesForm
        return super().get_form_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            page = task_state.workflow_state.content_object
            check_second_read(user, page)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return "Editors give the story a second read; nobody approves changes they wrote."

    class Meta:
        verbose_name = "Desk review task"
        verbose_name_plural = "Desk review tasks"
