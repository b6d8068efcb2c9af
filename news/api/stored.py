"""Parts of each live article's API representation computed when a change is published, so a
cold API read need not compute them (news.models.StoredRepresentation).

Three parts per article: its own fields and page meta ("fields": what a card list shows, and
the rest of a detail but the body), its body ("body"), and its related-article cards
("related_cards"). Each is stored with the names of what it shows (news/dependencies.py) and
the moment it stops being true, if any (a picture's rights ending).

A change bumps the names of what it touches; `stale_representations`, called inside its
transaction (cms/caching.py on_bump), deletes every stored part that shows one of them, and
once the change has committed `refresh_representations` (a background task) computes those
parts again, and every part of each article the change names (page:<id>). Until then a read
computes the part itself (news/api/v2.py, news/api/v3.py), so a read never meets a part
older than a committed change.
"""

import time
from types import SimpleNamespace

from django.db import transaction
from django.http import HttpRequest
from django_tasks import task
from wagtail.api.rich_text import APIRichText

from cms.caching import ANY, SITE, UNTIL, collecting, deadline_of
from news.dependencies import body_image_keys, body_link_keys, card_keys, page_key
from news.models import (
    ArticlePage,
    StoredRepresentation,
    StoredRepresentationBump,
    StoredRepresentationDependency,
    share_site_root_paths,
)
from news.related import related_articles

from .representation import (
    fetch_api_cards,
    prepare_articles,
    related_article_representation,
    representation_fingerprint,
)
from .v2 import NewsPagesAPIViewSet, render_json

BATCH = 200
Kind = StoredRepresentation.Kind
KINDS = tuple(Kind.values)


def part_key(article_id, kind):
    """A stored part's primary key, e.g. "1006:fields": one part per article and kind, so two
    computations racing to store it meet on the key (news.models.StoredRepresentation)."""
    return f"{article_id}:{kind}"


def related_card_parts(articles):
    """{pk: (cards, names)} of these live articles' related-article cards."""
    related = related_articles(articles, fetch=fetch_api_cards)
    share_site_root_paths(card for cards in related.values() for card in cards)
    parts = {}
    for article in articles:
        with collecting() as shown:
            cards = [related_article_representation(card) for card in related[article.pk]]
        parts[article.pk] = (cards, {*article.__dict__["related_keys"], *shown})
    return parts


def storage_context():
    """A serializer context for what no request shapes: the API's default rich text format,
    no query, no base URL (detail URLs are not stored)."""
    from cms.api import api_v2  # the routes, registered above this module

    request = HttpRequest()
    request.method = "GET"
    return {
        "request": request,
        "view": SimpleNamespace(seen_types={}),
        "router": api_v2,
        "_wagtail_rich_text_format": APIRichText.get_default_format(),
    }


def own_parts(articles):
    """{pk: {kind: (value, names)}} of these live, public articles' own fields and body, as
    API v2 and v3 show them to anyone (news/api/v2.py stored_fields_serializer_class).

    A body with an embed is not stored: its provider's HTML may be fetched, or fetched again,
    after the publish, and a read shows what is stored in the embeds table then.
    """
    context = storage_context()
    fields_serializer = NewsPagesAPIViewSet.stored_fields_serializer_class(context["router"])(
        context=context
    )
    body_serializer = NewsPagesAPIViewSet.stored_body_serializer_class(context["router"])(
        context=context
    )
    prepare_articles(articles, reuse_fragments=False, fields={"body"})
    parts = {}
    for article in articles:
        own = parts[article.pk] = {}
        with collecting() as shown:
            data = fields_serializer.to_representation(article)
        values = {**data.pop("meta"), **data}
        values["parent"] = parent_representation(article)
        # Its pictures whether shown or not: rights renewed bring one back.
        own[Kind.FIELDS] = (values, {*shown, *card_keys(article)})
        if any(block.block_type == "embed" for block in article.body):
            continue
        with collecting() as shown:
            body = body_serializer.to_representation(article)["body"]
        own[Kind.BODY] = (body, {*shown, *body_image_keys(article), *body_link_keys(article)})
    return parts


def parent_representation(article):
    """The `parent` meta field's values but its detail URL: the section, and whether it is
    live (API v2 shows it only then to whoever may see the article; v3 shows it always). A
    section's changes bump the site."""
    section = article.section
    if section is None:
        return None
    return {
        "id": section.pk,
        "type": section.specific_class._meta.label,
        "html_url": section.full_url,
        "title": section.title,
        "live": section.live,
    }


def store_representations(article_ids, kinds=KINDS, *, attempts=3):
    """Computes and stores these parts of these articles' representations: related cards of
    every live article, own fields and body of every live, public one that is not an alias.
    Others lose theirs. Returns how many parts were stored.

    A computation never overwrites a newer one's part. A change that commits while it runs
    (it may have read the rows before the change) either deletes its parts once committed
    (stale_representations) or is found in the bump log once they are written: then those
    parts are computed again, up to `attempts` times, else left to reads to compute.
    """
    article_ids = set(article_ids)
    as_of = time.time_ns()
    rows, names = computed_parts(article_ids, kinds, as_of)
    keys = [part_key(pk, kind) for pk in article_ids for kind in kinds]
    with transaction.atomic():
        newer = set(
            StoredRepresentation.objects.filter(key__in=keys, computed_at__gte=as_of).values_list(
                "key", flat=True
            )
        )
        StoredRepresentation.objects.filter(key__in=keys, computed_at__lt=as_of).delete()
        rows = [row for row in rows if row.key not in newer]
        StoredRepresentation.objects.bulk_create(rows, ignore_conflicts=True)
        StoredRepresentationDependency.objects.bulk_create(
            StoredRepresentationDependency(stored_id=row.key, name=name)
            for row in rows
            for name in names[row.key]
        )
    # Written (committed, outside a test's transaction): was anything they show changed by a
    # change that committed since this computation began?
    bumped = set(
        StoredRepresentationBump.objects.filter(
            name__in={SITE, *(name for row in rows for name in names[row.key])},
            bumped_at__gte=as_of,
        ).values_list("name", flat=True)
    )
    if not bumped:
        return len(rows)
    missed = [row for row in rows if SITE in bumped or bumped & set(names[row.key])]
    StoredRepresentation.objects.filter(
        key__in=[row.key for row in missed], computed_at=as_of
    ).delete()
    stored = len(rows) - len(missed)
    if attempts > 1:
        by_kinds = {}
        for row in missed:
            by_kinds.setdefault(row.kind, set()).add(row.article_id)
        for kind, ids in by_kinds.items():
            stored += store_representations(ids, (kind,), attempts=attempts - 1)
    return stored


def computed_parts(article_ids, kinds, as_of):
    """(unsaved StoredRepresentation rows, {key: dependency names}) of these parts of these
    articles, computed now."""
    live = ArticlePage.objects.live().filter(pk__in=article_ids)
    values = {}  # {(pk, kind): (value, names)}
    if Kind.RELATED_CARDS in kinds:
        articles = list(
            live.only("pk", "path", "depth", "live").prefetch_related("related_links", "tags")
        )
        for pk, part in related_card_parts(articles).items():
            values[pk, Kind.RELATED_CARDS] = part
    own_kinds = {Kind.FIELDS, Kind.BODY} & set(kinds)
    if own_kinds:
        articles = list(live.public().filter(alias_of__isnull=True).for_api(related=False))
        for pk, parts in own_parts(articles).items():
            for kind, part in parts.items():
                if kind in own_kinds:
                    values[pk, kind] = part

    fingerprint = representation_fingerprint()
    rows, names = [], {}
    for (pk, kind), (value, shown) in values.items():
        shown = {page_key(pk), *shown}
        deadlines = [deadline for name in shown if (deadline := deadline_of(name)) is not None]
        key = part_key(pk, kind)
        names[key] = sorted(name for name in shown if not name.startswith(UNTIL))
        rows.append(
            StoredRepresentation(
                key=key,
                article_id=pk,
                kind=kind,
                value=render_json(value).decode(),
                shows=sorted(shown),
                until=min(deadlines, default=None),
                made_with=fingerprint,
                computed_at=as_of,
            )
        )
    return rows, names


def store_all_representations():
    """Computes every part of every live article (after a bulk load, a deploy or a site-wide
    change); returns how many were stored."""
    ids = list(ArticlePage.objects.live().order_by("pk").values_list("pk", flat=True))
    return sum(store_representations(ids[n : n + BATCH]) for n in range(0, len(ids), BATCH))


def showing(names):
    """The stored parts that show any of these names, as a queryset."""
    if SITE in names:
        return StoredRepresentation.objects.all()
    shown = StoredRepresentationDependency.objects.filter(name__in=names)
    return StoredRepresentation.objects.filter(key__in=shown.values("stored_id"))


def delete_showing(names):
    """Deletes the stored parts that show any of these names; returns them as [article id,
    kind] pairs (none listed after a site-wide change, which computes everything again)."""
    stale = showing(names)
    parts = (
        [] if SITE in names else [list(part) for part in stale.values_list("article_id", "kind")]
    )
    stale.delete()
    return parts


@task()
def refresh_representations(parts, names):
    """Computes again these [article id, kind] parts, and every part of the articles these
    names name (page:<id>); after a site-wide change, everything. Returns how many were
    stored."""
    if SITE in names:
        return store_all_representations()
    wanted = {}
    for pk, kind in parts:
        wanted.setdefault(pk, set()).add(kind)
    for name in names:
        if name.startswith("page:") and name[5:].isdigit():
            wanted[int(name[5:])] = set(KINDS)
    by_kinds = {}
    for pk, kinds in wanted.items():
        by_kinds.setdefault(tuple(sorted(kinds)), []).append(pk)
    stored = 0
    for kinds, ids in by_kinds.items():
        ids.sort()
        for n in range(0, len(ids), BATCH):
            stored += store_representations(ids[n : n + BATCH], kinds)
    return stored


def stale_representations(names):
    """At a bump (cms.caching.on_bump), inside the change's transaction: deletes the parts
    that show what changed, so none is read once the change has committed; once it has,
    `after_commit`."""
    names = sorted(set(names) - {ANY})
    if not names:
        return
    parts = delete_showing(names)
    transaction.on_commit(lambda: after_commit(names, parts), robust=True)


def after_commit(names, parts):
    """Once a change has committed: logs its names (StoredRepresentationBump), deletes again
    the parts that show them (a computation that read the rows before the commit may have
    written its parts since), and queues the computation of all those parts.

    In that order: a computation that writes its parts after this delete finds the log
    (store_representations)."""
    now = time.time_ns()
    StoredRepresentationBump.objects.bulk_create(
        [StoredRepresentationBump(name=name, bumped_at=now) for name in names],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["bumped_at"],
    )
    parts = [*parts, *delete_showing(names)]
    refresh_representations.enqueue(parts, names)
