"""Admin dashboard panels: Editors see the review queue oldest first; writers see their desk."""

import swapper
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.template.loader import get_template
from wagtail.admin.ui.components import Component
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.models import TaskState, WorkflowState

from .second_read import display_names, unreviewed_author_ids
from .status import EditorialStatus

DESK_SIZE = 10


class ReviewQueuePanel(WorkflowObjectsToModeratePanel):
    """Wagtail's "Awaiting your review", longest-waiting story first, naming who submitted
    each story and who wrote the version under review (an editor who rewrote it too)."""

    name = "review_queue"
    order = 100
    template_name = "news/dashboard/review_queue.html"

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["states"].sort(key=lambda state: state["task_state"].started_at)
        for state in context["states"]:
            workflow_state = state["task_state"].workflow_state
            state["submitted_by"] = display_names([workflow_state.requested_by_id])
            state["written_by"] = display_names(unreviewed_author_ids(state["obj"]))
        return context


def changes_requested_comment():
    """The comment of the review that sent a story back, as a subquery on articles."""
    page_type = ContentType.objects.get_for_model(swapper.load_model("wagtailcore", "Page"))
    return Subquery(
        TaskState.objects.filter(
            workflow_state__base_content_type=page_type,
            workflow_state__object_id=Cast(OuterRef("pk"), output_field=CharField()),
            workflow_state__status=WorkflowState.STATUS_NEEDS_CHANGES,
            status=TaskState.STATUS_REJECTED,
        )
        .order_by("-finished_at", "-pk")
        .values("comment")[:1]
    )


class WriterDeskPanel(Component):
    """The user's stories sent back to them, with the editor's comment, and their drafts."""

    name = "writer_desk"
    order = 90
    template_name = "news/dashboard/writer_desk.html"

    def get_context_data(self, parent_context):
        from news.models import ArticlePage

        user = parent_context["request"].user
        mine = ArticlePage.objects.filter(Q(owner=user) | Q(latest_revision__user=user))
        return {
            "sent_back": list(
                mine.with_editorial_status_in(EditorialStatus.CHANGES_REQUESTED)
                .annotate(review_comment=changes_requested_comment())
                .order_by("latest_revision_created_at")[:DESK_SIZE]
            ),
            "drafts": list(
                mine.with_editorial_status_in(
                    EditorialStatus.DRAFT, EditorialStatus.PUBLISHED_WITH_DRAFT
                ).order_by("-latest_revision_created_at")[:DESK_SIZE]
            ),
        }

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context)
        if not (context["sent_back"] or context["drafts"]):
            return ""
        return get_template(self.template_name).render(context)


class LivePostsAwaitingPanel(Component):
    """For Editors: live posts a Writer saved that wait to go out (new ones, and changes to
    published ones), oldest first. Publishing one is its second read."""

    name = "live_posts_awaiting"
    order = 95
    template_name = "news/dashboard/live_posts_awaiting.html"

    def get_context_data(self, parent_context):
        from news.models import LivePost

        waiting = (
            LivePost.objects.filter(has_unpublished_changes=True)
            .select_related("live_blog", "latest_revision__user")
            .order_by("latest_revision__created_at", "pk")[:DESK_SIZE]
        )
        return {"posts": list(waiting)}

    def render_html(self, parent_context=None):
        user = parent_context["request"].user
        if not user.has_perm("news.publish_livepost"):
            return ""
        context = self.get_context_data(parent_context)
        if not context["posts"]:
            return ""
        return get_template(self.template_name).render(context)
