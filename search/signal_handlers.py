"""Keeps the search index true to the live story once a revision is fully published."""

from django.db.models.signals import post_save, pre_save
from modelsearch.tasks import insert_or_update_object_task
from wagtail.signals import page_published

from search.tasks import reindex_articles_bylined_to


def reindex_published_article(sender, instance, **kwargs):
    """Index the article again after publishing, when its bylines and tags are saved.

    Wagtail indexes a page on post_save, but modelcluster writes a revision's inline bylines
    and tags after that save, so that first indexing saw the previous ones.
    """
    insert_or_update_object_task.enqueue(
        instance._meta.app_label, instance._meta.model_name, str(instance.pk)
    )


def note_author_rename(sender, instance, **kwargs):
    """Remember whether a saved author's name differs from the stored one."""
    if instance.pk is None:
        instance._renamed = False
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
    instance._renamed = stored is not None and stored != instance.name


def reindex_renamed_authors_articles(sender, instance, created, **kwargs):
    """A byline is searchable by the author's name, so a rename re-indexes their articles."""
    if getattr(instance, "_renamed", False):
        reindex_articles_bylined_to.enqueue(instance.pk)


def register_signal_handlers():
    from news.models import ArticlePage, Author

    page_published.connect(reindex_published_article, sender=ArticlePage)
    pre_save.connect(note_author_rename, sender=Author)
    post_save.connect(reindex_renamed_authors_articles, sender=Author)
