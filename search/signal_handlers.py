"""Keeps the search index true to the live story once a revision is fully published."""

from modelsearch.tasks import insert_or_update_object_task
from wagtail.signals import page_published


def reindex_published_article(sender, instance, **kwargs):
    """Index the article again after publishing, when its bylines and tags are saved.

    Wagtail indexes a page on post_save, but modelcluster writes a revision's inline bylines
    and tags after that save, so that first indexing saw the previous ones.
    """
    insert_or_update_object_task.enqueue(
        instance._meta.app_label, instance._meta.model_name, str(instance.pk)
    )


def register_signal_handlers():
    from news.models import ArticlePage

    page_published.connect(reindex_published_article, sender=ArticlePage)
