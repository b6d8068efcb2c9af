"""Submit agency copy to the Editorial review workflow on the wire desk's behalf."""

from news.editorial.actions import EditorialPermissionError, SubmitForReviewAction

from ..permissions import can_ingest


class SubmitWireStoryAction(SubmitForReviewAction):
    """SubmitForReviewAction for the wire desk, whose user holds news.ingest_wire, not page rights.

    Everything else is the editorial action's: it starts (or resumes) the page's workflow on
    its latest revision, whose author is the wire user, so the second read still applies.
    """

    def check_permission(self):
        if not can_ingest(self.user):
            raise EditorialPermissionError("Only the wire desk can submit agency copy.")
