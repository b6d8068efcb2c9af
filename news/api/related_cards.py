"""Related-article cards computed when a change is published, so a cold API read need not.

A change bumps the names of what it touches (news/dependencies.py); `stale_related_cards`,
called inside its transaction, deletes every stored row (news.models.RelatedCards) that
shows one of them, and once the change has committed `refresh_related_cards` (a background
task) computes again the rows of every live article that showed one, or is one. Until then
a read computes the cards itself (news/api/representation.py attach_related_cards), so a
read never meets cards older than a committed change.
"""

import time

from django.db import transaction
from django_tasks import task

from cms.caching import ANY, SITE
from news.dependencies import page_key
from news.models import ArticlePage, RelatedCards, RelatedCardsDependency, share_site_root_paths
from news.related import related_articles

from .representation import fetch_api_cards, related_article_representation

BATCH = 200


def store_related_cards(article_ids):
    """Computes and stores the related cards of these live articles (others lose theirs);
    returns how many were stored. A computation never overwrites a newer one's row."""
    article_ids = set(article_ids)
    as_of = time.time_ns()
    articles = list(
        ArticlePage.objects.live()
        .filter(pk__in=article_ids)
        .only("pk", "path", "depth", "live")
        .prefetch_related("related_links", "tags")
    )
    related = related_articles(articles, fetch=fetch_api_cards)
    share_site_root_paths(card for cards in related.values() for card in cards)
    rows, names = [], {}
    for article in articles:
        cards = [related_article_representation(card) for card in related[article.pk]]
        # The article's own publish changes its picks, tags and section.
        names[article.pk] = sorted({page_key(article.pk), *article.__dict__["related_keys"]})
        row = RelatedCards(article_id=article.pk, cards=cards, shows=names[article.pk])
        row.computed_at = as_of
        rows.append(row)
    with transaction.atomic():
        newer = set(
            RelatedCards.objects.filter(pk__in=article_ids, computed_at__gte=as_of).values_list(
                "pk", flat=True
            )
        )
        RelatedCards.objects.filter(pk__in=article_ids, computed_at__lt=as_of).delete()
        rows = [row for row in rows if row.article_id not in newer]
        RelatedCards.objects.bulk_create(rows, ignore_conflicts=True)
        RelatedCardsDependency.objects.bulk_create(
            RelatedCardsDependency(related_cards_id=row.article_id, name=name)
            for row in rows
            for name in names[row.article_id]
        )
    return len(rows)


def store_all_related_cards():
    """Computes the related cards of every live article (after a bulk load); returns how many."""
    ids = list(ArticlePage.objects.live().order_by("pk").values_list("pk", flat=True))
    return sum(store_related_cards(ids[n : n + BATCH]) for n in range(0, len(ids), BATCH))


def showing(names):
    """The stored rows that show any of these names, as a queryset."""
    if SITE in names:
        return RelatedCards.objects.all()
    shown = RelatedCardsDependency.objects.filter(name__in=names)
    return RelatedCards.objects.filter(pk__in=shown.values("related_cards_id"))


@task()
def refresh_related_cards(names):
    """Computes again the rows of the live articles that showed these names, or are named
    (page:<id>); returns how many were stored."""
    names = set(names)
    if SITE in names:
        return store_all_related_cards()
    ids = set(showing(names).values_list("pk", flat=True))
    ids |= {int(name[5:]) for name in names if name.startswith("page:") and name[5:].isdigit()}
    ids = sorted(ids)
    return sum(store_related_cards(ids[n : n + BATCH]) for n in range(0, len(ids), BATCH))


def stale_related_cards(names):
    """At a bump (cms.caching.on_bump), inside the change's transaction: deletes the rows that
    show what changed, and queues their computation for once the change has committed."""
    names = sorted(set(names) - {ANY})
    if not names:
        return
    showing(names).delete()
    transaction.on_commit(lambda: refresh_related_cards.enqueue(names), robust=True)
