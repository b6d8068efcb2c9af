"""The second-read rule: nobody puts live a change they authored that no one else has approved."""

# The people who may not put a story's latest version live are its unreviewed authors: the
# users of every revision since the one last published (since creation, for a story never
# published) whose content differs from the revision before it. A save that changes nothing
# (a colleague pressing "Save draft", an approval sent from the edit view) makes nobody an
# author. Every path that puts a story live asks here: the Desk review task (dashboard,
# edit view, workflow modal), the permission tester (bulk publish, the editor's Publish and
# scheduling), and the v3 API actions. NEWS_ALLOW_SELF_APPROVAL = True lifts the rule, e.g.
# for a one-person newsroom.

import swapper
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from wagtail.models import PageLogEntry, Revision

from .changes import words_reader

#: Log actions that put a revision live (its revision is the base of the next review).
PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")


class SelfApprovalError(PermissionDenied):
    """Raised when an unreviewed author of a version tries to approve, publish or schedule it."""

    def __init__(self, message="This version needs a second read by another editor."):
        super().__init__(message)


def self_approval_allowed():
    return getattr(settings, "NEWS_ALLOW_SELF_APPROVAL", False)


def last_published_revision_id(page_id):
    """The revision that is live, or was last live before an unpublish; None if never published."""
    Page = swapper.load_model("wagtailcore", "Page")
    live_revision_id = Page.objects.filter(pk=page_id).values_list("live_revision_id", flat=True)
    live_revision_id = live_revision_id.first()
    if live_revision_id is not None:
        return live_revision_id
    return (
        PageLogEntry.objects.filter(
            page_id=page_id, action__in=PUBLISH_ACTIONS, revision__isnull=False
        )
        .order_by("-timestamp", "-pk")
        .values_list("revision_id", flat=True)
        .first()
    )


def revisions_since_publish(page):
    """The page's revisions since (and with) the one last published, oldest first."""
    base_id = last_published_revision_id(page.pk)
    revisions = Revision.objects.for_instance(page).order_by("pk")
    if base_id is not None:
        revisions = revisions.filter(pk__gte=base_id)
    return base_id, revisions


def unreviewed_author_ids(page, *, among=None):
    """Ids of the users whose changes since the last publish no one else has approved, in the
    order they first changed it; read fresh from the database (the page in hand may be built
    from a revision). With `among`, a user id: [] at once when they saved no revision since."""
    if page is None or page.pk is None:
        return []
    base_id, revisions = revisions_since_publish(page)
    if among is not None and not revisions.exclude(pk=base_id).filter(user_id=among).exists():
        return []
    words_of = words_reader(page.specific_class or type(page))
    authors = []
    previous = None
    for revision_id, user_id, content in revisions.values_list("pk", "user_id", "content"):
        words = words_of(content)
        if revision_id != base_id and words != previous:
            if user_id is not None and user_id not in authors:
                authors.append(user_id)
        previous = words
    return authors


def unreviewed_authors_with(user, page):
    """The ids of `page`'s unreviewed authors (see unreviewed_author_ids) when `user` is one of
    them, so may not put its latest version live; else []."""
    if self_approval_allowed() or user is None or user.pk is None:
        return []
    authors = unreviewed_author_ids(page, among=user.pk)
    return authors if user.pk in authors else []


def needs_second_read(user, page):
    """True when `user` wrote part of the version of `page` that would go live."""
    return bool(unreviewed_authors_with(user, page))


def display_names(user_ids):
    """The users' names, in the order of `user_ids`."""
    users = get_user_model().objects.in_bulk(user_ids)
    return [users[pk].get_full_name() or users[pk].get_username() for pk in user_ids if pk in users]


def refusal_message(user, page, authors=None):
    """Why `user` may not put `page` live, naming who else must not approve it either
    (`authors`: its unreviewed author ids, when already read)."""
    authors = unreviewed_author_ids(page) if authors is None else authors
    names = ["you", *display_names([pk for pk in authors if pk != user.pk])]
    who = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return (
        "You changed this version, so it needs a second read: "
        f"an editor other than {who} must approve it."
    )


def second_read_refusal(user, page):
    """Why `user` may not put `page`'s latest version live (refusal_message), or None when
    they may; the revisions are read and compared once."""
    authors = unreviewed_authors_with(user, page)
    return refusal_message(user, page, authors) if authors else None


def check_second_read(user, page):
    """Raise SelfApprovalError when `user` may not put `page`'s latest version live."""
    refusal = second_read_refusal(user, page)
    if refusal is not None:
        raise SelfApprovalError(refusal)
