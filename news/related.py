"""Related articles for a batch of articles, in a fixed number of queries for any batch size."""

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from wagtail.models import Page


def related_articles(articles, limit=3):
    """{article pk: [related articles]} for every article of the batch.

    Each list holds the hand-picked live, public stories first (in the editor's order),
    then the newest live, public stories sharing a tag, then the newest of the same
    section; never the article itself. An article may need up to `limit` candidates from
    each tag or section beyond those it excludes, so taking the newest 2 * limit + 1 per
    tag and per section is always enough. Candidates are chosen by id and date alone; only
    the chosen articles are fetched, with everything a listing shows.
    """
    from news.models import ArticlePage, ArticleTag

    articles = list(articles)
    if not articles:
        return {}
    depth = 2 * limit + 1
    live = ArticlePage.objects.live().public().in_a_site()

    picked = {
        article.pk: [link.article_id for link in article.related_links.all() if link.article_id]
        for article in articles
    }
    tags = {article.pk: {tag.pk for tag in article.tags.all()} for article in articles}
    sections = {article.pk: article.path[: -Page.steplen] for article in articles if article.path}

    published = dict(
        live.filter(pk__in=set().union(*picked.values())).values_list("pk", "first_published_at")
    )
    by_tag = {}
    all_tags = set().union(*tags.values())
    if all_tags:
        ranked_tags = (
            ArticleTag.objects.filter(tag_id__in=all_tags, content_object__in=live)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("tag_id")],
                    order_by=[
                        F("content_object__first_published_at").desc(nulls_last=True),
                        F("content_object_id").desc(),
                    ],
                )
            )
            .filter(rank__lte=depth)
            .values_list("tag_id", "content_object_id", "content_object__first_published_at")
        )
        for tag_id, article_id, first_published_at in ranked_tags:
            by_tag.setdefault(tag_id, []).append(article_id)
            published[article_id] = first_published_at

    by_section = {}
    if sections:
        ranked_sections = (
            live.with_section_rank()
            .filter(section_path__in=set(sections.values()), section_rank__lte=depth)
            .values_list("section_path", "pk", "first_published_at")
        )
        for section_path, article_id, first_published_at in ranked_sections:
            by_section.setdefault(section_path, []).append(article_id)
            published[article_id] = first_published_at

    def newest(ids):
        return sorted(
            set(ids),
            key=lambda pk: (published[pk] is not None, published[pk] or 0, pk),
            reverse=True,
        )

    chosen_ids = {}
    for article in articles:
        chosen = [pk for pk in dict.fromkeys(picked[article.pk]) if pk in published]
        tagged = newest(pk for tag in tags[article.pk] for pk in by_tag.get(tag, []))
        same_section = newest(by_section.get(sections.get(article.pk), []))
        for pk in tagged + same_section:
            if len(chosen) > limit:
                break
            if pk not in chosen:
                chosen.append(pk)
        chosen_ids[article.pk] = [pk for pk in chosen if pk != article.pk][:limit]

    # Related articles show a thumbnail only.
    chosen = live.filter(pk__in=set().union(*chosen_ids.values()))
    fetched = chosen.for_cards("thumbnail").in_bulk()
    return {pk: [fetched[id_] for id_ in ids] for pk, ids in chosen_ids.items()}
