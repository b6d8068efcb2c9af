"""The second-read rule: nobody puts their own unreviewed words live."""

# A revision may not be approved, published or scheduled by the user who wrote it (its
# `revision.user`, the "last author"). NEWS_ALLOW_SELF_APPROVAL = True lifts the rule,
# e.g. for a one-person newsroom.

import swapper
from django.conf import settings
from django.core.exceptions import PermissionDenied

SELF_APPROVAL_MESSAGE = (
    "You are the last author of this version, so it needs a second read: "
    "another editor must approve or publish it."
)


class SelfApprovalError(PermissionDenied):
    """Raised when the last author of a revision tries to approve, publish or schedule it."""

    def __init__(self, message=SELF_APPROVAL_MESSAGE):
        super().__init__(message)


def self_approval_allowed():
    return getattr(settings, "NEWS_ALLOW_SELF_APPROVAL", False)


def latest_revision_author_id(page):
    """The id of the user who saved the page's latest revision, read fresh from the database.

    Read from the database because the page in hand is often built from a revision and may
    carry a stale ``latest_revision``. None for an unsaved page or an author-less revision.
    """
    if page is None or page.pk is None:
        return None
    Page = swapper.load_model("wagtailcore", "Page")
    return (
        Page.objects.filter(pk=page.pk).values_list("latest_revision__user_id", flat=True).first()
    )


def needs_second_read(user, author_id):
    """True when `user` wrote the revision (by `author_id`) and so may not put it live."""
    if self_approval_allowed() or user is None or user.pk is None:
        return False
    return author_id is not None and author_id == user.pk


def check_second_read(user, author_id):
    """Raise SelfApprovalError when `user` may not put live a revision written by `author_id`."""
    if needs_second_read(user, author_id):
        raise SelfApprovalError
