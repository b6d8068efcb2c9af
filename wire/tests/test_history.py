"""A story from the wire has the history of one made in the admin."""

from wagtail.models import PageLogEntry

from news.models import ArticlePage

from .factories import ninjs_story


def test_the_history_shows_the_story_created_once(desk):
    [result] = desk.ingest(ninjs_story())
    article = ArticlePage.objects.get(pk=result.article_id)

    entries = PageLogEntry.objects.filter(page=article).order_by("pk")
    assert [(e.action, e.user.username) for e in entries] == [
        ("wagtail.create", "wire"),
        ("wagtail.edit", "wire"),
        ("wagtail.workflow.start", "wire"),
    ]
    assert entries[1].revision_id == article.latest_revision_id
