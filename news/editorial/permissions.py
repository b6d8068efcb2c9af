"""Page permission testers that add the second-read rule to Wagtail's role-based permissions."""

# Wagtail asks page.permissions_for_user(user) before the bulk publish action, the v3
# actions/publish/ endpoint, a v3 PATCH or POST that publishes, the edit view's Publish
# button and the create view's (on the parent, via can_publish_subpage()). ArticlePage and
# SectionPage return these testers, so every one of those paths obeys the rule.

from django.utils.functional import cached_property
from wagtail.models import PagePermissionTester

from .second_read import needs_second_read, self_approval_allowed


def has_publish_role(user, page):
    """True when the user's groups allow publishing `page`, whoever wrote it."""
    return PagePermissionTester(user, page).can_publish()


class ArticlePermissionTester(PagePermissionTester):
    """An article may be published or scheduled only by someone who wrote none of its
    unreviewed changes."""

    @cached_property
    def second_read_needed(self):
        return needs_second_read(self.user, self.page)

    def can_publish(self):
        return super().can_publish() and not self.second_read_needed

    def can_delete(self, ignore_bulk=False):
        # Wagtail asks the database whether any page in the subtree is live, once per button
        # of every row of an admin listing. An article is a leaf, so the subtree is the
        # article in hand and the answer is its own live flag (the delete and move views load
        # the page afresh before acting).
        if (
            not self.page.is_leaf()
            or not self.user.is_active
            or self.user.is_superuser
            or "publish" in self.permissions
        ):
            return super().can_delete(ignore_bulk)
        if "change" in self.permissions:
            return not self.page.live
        if "add" in self.permissions:
            return not self.page.live and self.page.owner_id == self.user.pk
        return False

    # Privacy and unscheduling are publisher duties that put no new words live.
    def can_set_view_restrictions(self):
        return super().can_publish()

    def can_unschedule(self):
        return super().can_publish()


class FrontPagePermissionTester(PagePermissionTester):
    """The home page and section fronts are edited by those who may publish them (editors).

    Writers hold page permissions on the whole home subtree so they can add articles in any
    section; this keeps their edits to articles. A front (its lead and top stories, its
    title and intro) is a change like any other: the editor who arranged it has it approved
    by another (the Desk review workflow) before it goes live or is scheduled.
    """

    @cached_property
    def second_read_needed(self):
        return needs_second_read(self.user, self.page)

    def can_publish(self):
        return super().can_publish() and not self.second_read_needed

    def can_unschedule(self):
        return super().can_publish()

    def can_edit(self):
        return super().can_edit() and (self.user.is_superuser or "publish" in self.permissions)

    def can_delete(self, ignore_bulk=False):
        return super().can_delete(ignore_bulk) and (
            self.user.is_superuser or "publish" in self.permissions
        )


class SectionPermissionTester(FrontPagePermissionTester):
    """Nobody may create and publish an article in one go: its author would put it live."""

    def can_publish_subpage(self):
        return super().can_publish_subpage() and self_approval_allowed()
