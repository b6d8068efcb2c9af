"""Background work that keeps the article index true to what readers see."""

from django_tasks import task
from modelsearch import index


@task()
def reindex_articles_bylined_to(author_pk):
    """Index again every article with this author's byline, after the author was renamed."""
    from news.models import ArticlePage

    articles = ArticlePage.get_indexed_objects().filter(article_authors__author_id=author_pk)
    for article in articles.distinct().iterator(chunk_size=200):
        index.insert_or_update_object(article)
