"""Workflow emails in the newsroom's words: Editors hear of submissions, the writer of decisions."""

# These replace Wagtail's default workflow notifiers by connecting first under the same
# dispatch_uid (Django keeps the first receiver per uid), which works because "news" comes
# before "wagtail.admin" in INSTALLED_APPS. Recipients, user notification preferences and
# sending are Wagtail's (wagtail/admin/mail.py); the wording and the comment are ours
# (templates/news/emails/). The emails are sent by a background task (TASKS), so a slow
# mail server never holds up an editor's click.

from django.apps import apps
from django.contrib.auth import get_user_model
from django_tasks import task
from wagtail.admin.mail import (
    GroupApprovalTaskStateSubmissionEmailNotifier,
    WorkflowStateApprovalEmailNotifier,
    WorkflowStateRejectionEmailNotifier,
)
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected


class NewsroomEmailMixin:
    #: templates/news/emails/<template_name>{_subject.txt,.txt,.html}
    template_name = ""

    def get_template_set(self, instance, **kwargs):
        base = f"news/emails/{self.template_name}"
        return {"subject": f"{base}_subject.txt", "text": f"{base}.txt", "html": f"{base}.html"}

    def get_context(self, instance, **kwargs):
        context = super().get_context(instance, **kwargs)
        context["acting_user"] = kwargs.get("user")
        return context


class StorySubmittedNotifier(NewsroomEmailMixin, GroupApprovalTaskStateSubmissionEmailNotifier):
    """Emails the review task's groups (the Editors), except whoever submitted."""

    template_name = "story_submitted"


class StoryApprovedNotifier(NewsroomEmailMixin, WorkflowStateApprovalEmailNotifier):
    """Emails the writer who submitted the story, with the approving editor's comment."""

    template_name = "story_approved"

    def get_context(self, workflow_state, **kwargs):
        context = super().get_context(workflow_state, **kwargs)
        approval = (
            workflow_state.task_states.filter(status=TaskState.STATUS_APPROVED)
            .order_by("-finished_at", "-pk")
            .first()
        )
        context["comment"] = approval.specific.get_comment() if approval else ""
        context["page"] = context["object"].specific
        return context


class ChangesRequestedNotifier(NewsroomEmailMixin, WorkflowStateRejectionEmailNotifier):
    """Emails the writer who submitted the story, with the editor's comment."""

    template_name = "changes_requested"


NOTIFIERS = {
    "story_submitted": StorySubmittedNotifier(),
    "story_approved": StoryApprovedNotifier(),
    "changes_requested": ChangesRequestedNotifier(),
}


@task()
def send_workflow_email(notifier, model_label, pk, user_id=None):
    """Sends one workflow notification about a TaskState or WorkflowState, by the user who
    acted; returns whether every email went out."""
    instance = apps.get_model(model_label).objects.get(pk=pk)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return NOTIFIERS[notifier](instance=instance, user=user)


class EnqueueNotification:
    """A signal receiver that hands the notification to send_workflow_email."""

    def __init__(self, notifier):
        self.notifier = notifier

    def __call__(self, sender, instance, user=None, **kwargs):
        send_workflow_email.enqueue(
            self.notifier, instance._meta.label, instance.pk, getattr(user, "pk", None)
        )


RECEIVERS = [
    # (signal, sender, Wagtail's dispatch_uid we take over, notifier)
    (
        task_submitted,
        TaskState,
        "group_approval_task_submitted_email_notification",
        "story_submitted",
    ),
    (
        workflow_approved,
        WorkflowState,
        "workflow_state_approved_email_notification",
        "story_approved",
    ),
    (
        workflow_rejected,
        WorkflowState,
        "workflow_state_rejected_email_notification",
        "changes_requested",
    ),
]


def connect_notifications():
    """Connect the newsroom notifiers in place of Wagtail's (call from AppConfig.ready())."""
    for signal, sender, dispatch_uid, notifier in RECEIVERS:
        signal.connect(
            EnqueueNotification(notifier), sender=sender, dispatch_uid=dispatch_uid, weak=False
        )
