"""A second read refused in the admin says so, instead of only Wagtail's "permission denied"."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail.models import Page

from .second_read import SELF_APPROVAL_MESSAGE, latest_revision_author_id, needs_second_read


def approval_page_id(request):
    """The page an admin POST tries to approve (workflow action or the editor's menu), or None."""
    match = request.resolver_match
    if request.method != "POST" or match is None:
        return None
    if match.url_name == "workflow_action" and match.kwargs.get("action_name") == "approve":
        return match.kwargs.get("page_id")
    if match.url_name == "edit" and request.POST.get("workflow-action-name") == "approve":
        return match.kwargs.get("page_id")
    return None


class SecondReadMessageMiddleware:
    """Explains an approval that Wagtail's admin refused with its generic message.

    The last author of a version is not offered Approve (news.DeskReviewTask), so forcing it
    makes Wagtail's `require_admin_access` redirect to the dashboard with "Sorry, you do not
    have permission to access this area.", which tells an editor nothing about the rule.
    When the refused approval was the user's own version, add the rule and send them back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 302 or response.get("Location") != reverse("wagtailadmin_home"):
            return response
        page_id = approval_page_id(request)
        if page_id is None:
            return response
        page = Page.objects.filter(pk=page_id).first()
        if page is None or not needs_second_read(request.user, latest_revision_author_id(page)):
            return response
        messages.error(request, f"Not approved. {SELF_APPROVAL_MESSAGE}")
        back = request.headers.get("referer", "")
        if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            return redirect(back)
        return redirect("wagtailadmin_pages:edit", page_id)
