"""The second read in the admin: one clear refusal with its reason, and a confirmation of
each approval, on every path an editor approves from (dashboard, workflow modal, edit view)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.models import Page, TaskState

from .second_read import SelfApprovalError, display_names, second_read_refusal

# Admin views that approve a page's current task, and how each names the action.
WORKFLOW_VIEWS = (
    "wagtailadmin_pages:workflow_action",
    "wagtailadmin_pages:collect_workflow_action_data",
)
EDIT_VIEW = "wagtailadmin_pages:edit"


def approval_in(request):
    """(page id, view name) when the request asks the admin to approve a page, else None."""
    match = request.resolver_match
    if match is None:
        return None
    if match.view_name in WORKFLOW_VIEWS and match.kwargs.get("action_name") == "approve":
        return match.kwargs.get("page_id"), match.view_name
    if (
        match.view_name == EDIT_VIEW
        and request.method == "POST"
        and request.POST.get("action-workflow-action")
        and request.POST.get("workflow-action-name") == "approve"
    ):
        return match.kwargs.get("page_id"), match.view_name
    return None


def say_only(request, level, text):
    """Queue `text` as the one message this request leaves (Wagtail's own are withdrawn)."""
    storage = messages.get_messages(request)
    # Messages queued during this request; those from earlier requests stay.
    storage._queued_messages.clear()
    messages.add_message(request, level, text)


def is_modal_request(request):
    return request.headers.get("x-requested-with") == "XMLHttpRequest"


class SecondReadMiddleware:
    """Runs Wagtail's admin approvals with the newsroom's words.

    - An approval by someone who wrote part of the version never reaches Wagtail's view
      (which would answer "Sorry, you do not have permission to access this area.");
      they are sent back to the story with the rule and who else must read it.
    - An approval from the edit view that first saved the approver's own changes is
      refused by the Desk review task after the save: the changes stay as a draft and the
      refusal says so.
    - An approval that went through is confirmed ("… approved and published"), and so is a
      story sent back from the review queue.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        approval = getattr(request, "_newsroom_approval", None)
        if approval is not None and response.status_code in (200, 302):
            self.report(request, *approval, response_redirects=response.status_code == 302)
        sent_back = getattr(request, "_newsroom_sent_back", None)
        if sent_back is not None and response.status_code in (200, 302):
            self.report_sent_back(request, sent_back)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            request.method == "POST"
            and match.view_name == WORKFLOW_VIEWS[0]
            and match.kwargs.get("action_name") == "reject"
        ):
            request._newsroom_sent_back = match.kwargs.get("task_state_id")
        found = approval_in(request)
        if found is None or not request.user.is_authenticated:
            return None
        page_id, view_name = found
        page = Page.objects.filter(pk=page_id).first()
        if page is None or page.current_workflow_task_state is None:
            return None
        page = page.specific
        refusal = None if view_name == EDIT_VIEW else second_read_refusal(request.user, page)
        if refusal is not None:
            return self.refuse(request, page, f"Not approved. {refusal}")
        if request.method == "POST":
            request._newsroom_approval = (page, page.current_workflow_task_state.pk)
        return None

    def process_exception(self, request, exception):
        found = approval_in(request) if isinstance(exception, SelfApprovalError) else None
        if found is None:
            return None
        page_id, _view_name = found
        page = Page.objects.get(pk=page_id).specific
        request._newsroom_approval = None
        return self.refuse(request, page, f"Saved as a draft, not approved. {exception}")

    def report(self, request, page, task_state_id, *, response_redirects):
        """After an approval request: confirm it, or explain why Wagtail saved a draft instead."""
        approved = TaskState.objects.filter(
            pk=task_state_id, status=TaskState.STATUS_APPROVED
        ).exists()
        page = page.specific_class.objects.get(pk=page.pk)
        title = page.get_admin_display_title()
        if approved:
            schedule = page.scheduled_revision
            if schedule is not None:
                when = date_format(localtime(schedule.approved_go_live_at), "DATETIME_FORMAT")
                say_only(request, messages.SUCCESS, f"'{title}' approved; it goes live {when}.")
            elif page.live and page.live_revision_id == page.latest_revision_id:
                say_only(request, messages.SUCCESS, f"'{title}' approved and published.")
            else:
                say_only(request, messages.SUCCESS, f"'{title}' approved.")
        elif response_redirects and (refusal := second_read_refusal(request.user, page)):
            # The edit view did not offer Approve to an author, so Wagtail saved a draft.
            say_only(request, messages.ERROR, f"Saved as a draft, not approved. {refusal}")

    @staticmethod
    def report_sent_back(request, task_state_id):
        """Confirm that a story was sent back to its writer from the review queue."""
        task_state = (
            TaskState.objects.filter(pk=task_state_id, status=TaskState.STATUS_REJECTED)
            .select_related("workflow_state")
            .first()
        )
        if task_state is None:
            return
        workflow_state = task_state.workflow_state
        page = Page.objects.get(pk=workflow_state.object_id)
        writer = display_names([workflow_state.requested_by_id]) or ["its writer"]
        say_only(
            request,
            messages.SUCCESS,
            f"'{page.get_admin_display_title()}' sent back to {writer[0]} with your comment.",
        )

    @staticmethod
    def refuse(request, page, text):
        say_only(request, messages.ERROR, text)
        edit_url = reverse(EDIT_VIEW, args=[page.pk])
        if is_modal_request(request):
            # The workflow modal follows a "success" step's redirect.
            return render_modal_workflow(
                request, "", None, {}, json_data={"step": "success", "redirect": edit_url}
            )
        return redirect(edit_url)
