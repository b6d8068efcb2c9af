"""Related articles for a batch of articles, in a fixed number of queries for any batch size.

It sits below news.models (which shows related articles on the page): models come from the
app registry (news.dependencies.news_model), never by import.
"""

from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from wagtail.models import Page

from cms.caching import keep_many, kept_many
from news.dependencies import card_keys, news_model, page_key, section_key, tag_key


def fetch_story_cards(chosen):
    """{pk: article} of the chosen live articles, with what a story card shows."""
    return chosen.for_cards("thumbnail").in_bulk()


def newest_ids(pages, limit):
    """Two LIMIT querysets of ids: the newest `limit` of `pages` that have a date, and the
    highest `limit` ids of those without (they rank last). Each is answered from the
    newest-first index, stopping early, where a window over every page sorts them all."""
    dated = pages.filter(first_published_at__isnull=False).order_by("-first_published_at", "-pk")
    undated = pages.filter(first_published_at__isnull=True).order_by("-pk")
    return [
        dated.values_list("pk", flat=True)[:limit],
        undated.values_list("pk", flat=True)[:limit],
    ]


TAG_RANKING_KEY = "newsroom:tag-ranking:{depth}:{tag}"


def newest_per_tag(tag_ids, live, depth):
    """{tag id: [(article id, first_published_at)]}: the newest `depth` live stories per tag.

    The ranking is the same for every article and reader (live, public stories only), so
    it is kept for NEWS_FRAGMENT_CACHE_TIMEOUT seconds while its tag's version holds: every
    publish, unpublish, move or delete of a story bumps its old and new tags, and every
    privacy change the site (news/dependencies.py), so a kept ranking never outlives a
    story's tags, date or status.
    """
    ArticleTag = news_model("ArticleTag")

    timeout = settings.NEWS_FRAGMENT_CACHE_TIMEOUT
    keys, kept = {}, {}
    if timeout and tag_ids:
        keys = {tag: TAG_RANKING_KEY.format(depth=depth, tag=tag) for tag in tag_ids}
        kept = kept_many(keys.values())
    ranking = {tag: kept[keys[tag]][0] for tag in tag_ids if keys.get(tag) in kept}
    missing = set(tag_ids) - ranking.keys()
    if not missing:
        return ranking
    # The newest tagged stories first, walking the pages' first_published_at index from the
    # newest and stopping early: a few times `depth` rows per wanted tag, where a ranking
    # window sorts every story of every tag (tens of thousands of rows). A tag still short
    # of `depth` (rare, or not used lately) is then ranked by the window over its stories.
    fresh = {tag: [] for tag in missing}
    newest_tagged = (
        live.filter(tagged_items__tag_id__in=missing, first_published_at__isnull=False)
        .order_by("-first_published_at", "-pk")
        .values_list("tagged_items__tag_id", "pk", "first_published_at")
    )
    for tag_id, article_id, first_published_at in newest_tagged[: 4 * depth * len(missing)]:
        if len(fresh[tag_id]) < depth:
            fresh[tag_id].append((article_id, first_published_at))
    short = {tag for tag, ranked in fresh.items() if len(ranked) < depth}
    if short:
        ranked_tags = (
            ArticleTag.objects.filter(tag_id__in=short, content_object__in=live)
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
        for tag_id in short:
            fresh[tag_id] = []
        for tag_id, article_id, first_published_at in ranked_tags:
            fresh[tag_id].append((article_id, first_published_at))
    if keys:
        keep_many({keys[tag]: (ranked, [tag_key(tag)]) for tag, ranked in fresh.items()}, timeout)
    return {**ranking, **fresh}


def related_articles(articles, limit=3, fetch=fetch_story_cards):
    """{article pk: [related articles]} for every article of the batch.

    Each list holds the hand-picked live, public stories first (in the editor's order),
    then the newest live, public stories sharing a tag, then the newest of the same
    section; never the article itself. An article may need up to `limit` candidates from
    each tag or section beyond those it excludes, so taking the newest 2 * limit + 1 per
    tag and per section is always enough. Candidates are chosen by id and date alone; only
    the chosen articles are fetched, by `fetch(queryset of the chosen)` (a story card's
    data by default).

    Each article gets `related_keys`: the names of what its list shows (news/dependencies.py):
    the picked stories (live or not: one going live joins the list), the tags and section
    whose newest stories were considered, and each chosen card.
    """
    ArticlePage = news_model("ArticlePage")
    articles = list(articles)
    if not articles:
        return {}
    depth = 2 * limit + 1
    # PageQuerySet.public(), with the view restrictions read once for both querysets.
    private = ArticlePage.objects.private_q()
    live = ArticlePage.objects.live().exclude(private).in_a_site()
    # Sections hold articles only (SectionPage.subpage_types); no type filter, which would
    # lead SQLite to its content type index instead of the date index.
    live_pages = Page.objects.live().exclude(private)

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
    for tag_id, ranked in newest_per_tag(set().union(*tags.values()), live, depth).items():
        for article_id, first_published_at in ranked:
            by_tag.setdefault(tag_id, []).append(article_id)
            published[article_id] = first_published_at

    by_section = {}
    if sections:
        # The newest of each section, one LIMIT subquery per section on the pages table
        # alone: the database walks its first_published_at index and stops early, where a
        # window over every live article sorts them all. Undated pages rank last.
        def newest_children(section_path):
            children = live_pages.filter(
                path__startswith=section_path, depth=len(section_path) // Page.steplen + 1
            )
            return reduce(or_, (Q(pk__in=ids) for ids in newest_ids(children, depth)))

        ranked_sections = Page.objects.filter(
            reduce(or_, map(newest_children, set(sections.values())))
        ).values_list("path", "pk", "first_published_at")
        for path, article_id, first_published_at in ranked_sections:
            by_section.setdefault(path[: -Page.steplen], []).append(article_id)
            published[article_id] = first_published_at

    def newest(ids):
        return sorted(
            set(ids),
            key=lambda pk: (published[pk] is not None, published[pk] or 0, pk),
            reverse=True,
        )

    section_ids = dict(
        Page.objects.filter(path__in=set(sections.values())).values_list("path", "pk")
    )
    chosen_ids, considered = {}, {}
    for article in articles:
        chosen = [pk for pk in dict.fromkeys(picked[article.pk]) if pk in published]
        keys = considered[article.pk] = {page_key(pk) for pk in picked[article.pk]}
        if len(chosen) <= limit:
            # Any story newly tagged (or in the section) could take a place in the list.
            keys |= {tag_key(tag) for tag in tags[article.pk]}
        tagged = newest(pk for tag in tags[article.pk] for pk in by_tag.get(tag, []))
        same_section = newest(by_section.get(sections.get(article.pk), []))
        for pk in tagged + same_section:
            if len(chosen) > limit:
                break
            if pk in same_section and sections.get(article.pk) in section_ids:
                keys.add(section_key(section_ids[sections[article.pk]]))
            if pk not in chosen:
                chosen.append(pk)
        if len(chosen) <= limit and sections.get(article.pk) in section_ids:
            keys.add(section_key(section_ids[sections[article.pk]]))
        chosen_ids[article.pk] = [pk for pk in chosen if pk != article.pk][:limit]

    fetched = fetch(live.filter(pk__in=set().union(*chosen_ids.values())))
    related = {}
    for article in articles:
        cards = related[article.pk] = [
            fetched[id_] for id_ in chosen_ids[article.pk] if id_ in fetched
        ]
        keys = considered[article.pk]
        for card in cards:
            keys |= card_keys(card)
        article.__dict__["related_keys"] = keys
    return related
