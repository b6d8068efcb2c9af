"""Permission checks Wagtail 8.0.1's admin leaves out, and a crash on bad input it answers 500.

Each guard names the Wagtail view it covers; news/wagtail_hooks.py registers the hooks and
cms/urls.py mounts the views. The security suite (cms/tests/security/) finds these holes:
drop a guard once Wagtail closes its hole and the suite stays green without it.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from wagtail.admin.forms.choosers import URLOrAbsolutePathField
from wagtail.admin.views.reports.page_types_usage import (
    PageTypesUsageReportView as WagtailPageTypesUsageReportView,
)
from wagtail.permission_policies.pages import PagePermissionPolicy


def explorable_pages(user):
    """The pages a user may see in the admin: those they have a permission on, and ancestors."""
    return PagePermissionPolicy().explorable_instances(user)


def refuse_move_without_permission(request, page, destination):
    """`before_move_page`: MoveConfirmView shows both pages' titles to any admin user.

    Wagtail checks the move only when it is confirmed (POST), so its GET shows the titles
    (latest drafts included) of any page and destination to anyone with admin access.
    """
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


def only_explorable_pages(pages, request):
    """`construct_page_chooser_queryset`: the chooser lists every page, drafts' titles included.

    Wagtail's page chooser browses the whole tree, so a writer reads the headlines of every
    desk's drafts. Keep it to the pages the user may explore, and refuse to browse the
    children of one they may not (its title heads the listing).
    """
    explorable = explorable_pages(request.user)
    parent_id = (request.resolver_match.kwargs if request.resolver_match else {}).get(
        "parent_page_id"
    )
    if parent_id is not None and not explorable.filter(pk=parent_id).exists():
        raise PermissionDenied
    return pages.filter(pk__in=explorable.values("pk"))


class PageTypesUsageReportView(WagtailPageTypesUsageReportView):
    """The page types report, naming a type's last edited page only to those who may see it.

    Wagtail's report shows the title of the last edited page of each type, whatever the
    user's page permissions: a writer learns the headline of another desk's newest draft.
    """

    def decorate_paginated_queryset(self, page_types):
        page_types = super().decorate_paginated_queryset(page_types)
        ids = [item.last_edited_page.pk for item in page_types if item.last_edited_page]
        visible = set(
            explorable_pages(self.request.user).filter(pk__in=ids).values_list("pk", flat=True)
        )
        for item in page_types:
            if item.last_edited_page and item.last_edited_page.pk not in visible:
                item.last_edited_page = None
        return page_types


def external_link_without_url_is_invalid():
    """POST /admin/choose-external-link/ without a `url` field is a 500 in Wagtail 8.0.1.

    URLOrAbsolutePathField.to_python calls `value.startswith` on the missing value (None).
    Treated as empty, the form answers "This field is required." like any other.
    """
    original = URLOrAbsolutePathField.to_python
    if getattr(original, "guarded", False):
        return

    @wraps(original)
    def to_python(self, value):
        return original(self, "" if value is None else value)

    to_python.guarded = True
    URLOrAbsolutePathField.to_python = to_python
