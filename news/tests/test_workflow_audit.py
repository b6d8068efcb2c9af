"""Every editorial transition is in Wagtail's audit log, with its user and comment."""

from wagtail.models import PageLogEntry

from news.editorial.actions import ApproveAction, RequestChangesAction, SubmitForReviewAction
from news.editorial.history import editorial_history
from news.models import ArticlePage


def log_of(article):
    return [
        (entry.action, entry.user, (entry.data or {}).get("comment", ""))
        for entry in PageLogEntry.objects.filter(page_id=article.pk)
        .select_related("user")
        .order_by("timestamp", "pk")
        if entry.action.startswith(("wagtail.workflow", "wagtail.publish", "wagtail.unpublish"))
    ]


def test_the_audit_log_records_every_transition_with_user_and_comment(writer, editor, story_by):
    article = story_by(writer)
    SubmitForReviewAction(article, writer).execute()
    RequestChangesAction(article, editor, comment="Add the council's reply.").execute()
    ArticlePage.objects.get(pk=article.pk).save_revision(user=writer)
    SubmitForReviewAction(article, writer).execute()
    ApproveAction(article, editor, comment="Good.").execute()
    ArticlePage.objects.get(pk=article.pk).unpublish(user=editor)

    assert log_of(article) == [
        ("wagtail.workflow.start", writer, ""),
        ("wagtail.workflow.reject", editor, "Add the council's reply."),
        ("wagtail.workflow.resume", writer, ""),
        ("wagtail.workflow.approve", editor, "Good."),
        ("wagtail.publish", editor, ""),
        ("wagtail.unpublish", editor, ""),
    ]
    assert [(entry.action, entry.user, entry.comment) for entry in editorial_history(article)] == [
        ("submitted", writer, ""),
        ("changes_requested", editor, "Add the council's reply."),
        ("submitted", writer, ""),
        ("approved", editor, "Good."),
        ("published", editor, ""),
        ("unpublished", editor, ""),
    ]


def test_a_cancelled_review_is_in_the_history(writer, story_by):
    article = story_by(writer)
    SubmitForReviewAction(article, writer).execute()

    article.current_workflow_state.cancel(user=writer)

    assert [entry.action for entry in editorial_history(article)] == ["submitted", "cancelled"]
