"""Reader search over Wagtail's index: ranking the matches and finding editors' picks."""

import math
import re

from django.db.models import Q
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from news.models import ArticlePage

# A reader never pages this deep; ranking more would only cost time.
MAX_RESULTS = 500

# Below the headline matches, scores within 10% of each other count as equally relevant and
# the newer story goes first. The database backends' scores wobble by a few percent between
# identical stories (their headline weighting depends on the order of indexing).
RELEVANCE_TIE = 0.10

WORD = re.compile(r"\w+")


def ranked_article_ids(articles, query):
    """The ids of `articles` matching `query`, in reader order ("newest-relevant first"):

    1. stories whose headline has every word searched for, newest first;
    2. then the rest by the search backend's relevance, equally relevant ones newest first.

    The first rule holds on every backend; SQLite's FTS5 ranking alone would put a body that
    repeats a word above a long headline containing it. `articles` is an ArticlePage
    queryset filtered only on index FilterFields (live, path, depth, first_published_at,
    tags__slug), so this runs on the database backends and Elasticsearch alike.
    """
    found = articles.only("pk", "title", "first_published_at").search(query, operator="and")
    if getattr(found, "ranks_headlines_first", False):
        # PostgreSQL (search/backend.py) ranks in the query, in this order.
        return found[:MAX_RESULTS].pks()
    results = found.annotate_score("search_score")[:MAX_RESULTS]
    query_words = words(query)
    headline_matches, others = [], []
    for article in results:
        if headline_has_every_word(article.title, query_words):
            headline_matches.append(article)
        else:
            others.append(article)

    ranked, tied = newest_first(headline_matches), []
    for article in others:
        if tied and not math.isclose(
            article.search_score, tied[0].search_score, rel_tol=RELEVANCE_TIE
        ):
            ranked.extend(newest_first(tied))
            tied = []
        tied.append(article)
    ranked.extend(newest_first(tied))
    return [article.pk for article in ranked]


def words(text):
    return WORD.findall(text.lower())


def same_word(a, b):
    """Equal, or one is the other plus a short ending: "strike"/"strikes", "port"/"ports"."""
    short, long = sorted((a, b), key=len)
    return long.startswith(short) and len(long) - len(short) <= 3


def headline_has_every_word(headline, query_words):
    headline_words = words(headline)
    return bool(query_words) and all(
        any(same_word(word, other) for other in headline_words) for word in query_words
    )


def newest_first(articles):
    return sorted(
        articles,
        key=lambda article: (article.first_published_at is not None, article.first_published_at),
        reverse=True,
    )


def editors_picks(query):
    """The search promotions editors pinned to `query` whose page is live and public.

    Looked up without Query.get(), which would store every query a reader types.
    """
    visible_pages = Page.objects.live().public().values("pk")
    return list(
        SearchPromotion.objects.filter(query__query_string=normalise_query_string(query))
        .filter(Q(page__isnull=True) | Q(page__in=visible_pages))
        .select_related("page")
        .order_by("sort_order", "pk")
    )


def picked_articles(picks):
    """The listing-ready articles among `picks`, keyed by page id."""
    page_ids = [pick.page_id for pick in picks if pick.page_id]
    if not page_ids:
        return {}
    articles = ArticlePage.objects.live().public().filter(pk__in=page_ids).for_cards()
    return {article.pk: article for article in articles}
