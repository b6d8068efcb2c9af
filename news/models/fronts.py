"""Curated fronts: a lead, the editor's top stories in order, then the newest stories to fill."""

from dataclasses import dataclass

from django.db import models
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.models import Orderable

from cms.caching import shows

from ..dependencies import page_key, shows_cards
from .articles import ArticlePage

#: Top stories an editor may place under the lead.
FRONT_TOP_STORIES = 4
#: Cards a front shows: the lead, the top stories, then the newest stories to fill.
FRONT_SIZE = 7

LEAD, TOP, LATEST = "lead", "top", "latest"


class FrontStory(Orderable):
    """A story an editor placed on a front, in the order they set (a modelcluster inline,
    so each revision of the front carries its own arrangement)."""

    article = models.ForeignKey(
        ArticlePage,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Shown while it is live and public; otherwise the newest story takes its place.",
    )

    panels = [PageChooserPanel("article", "news.ArticlePage")]

    class Meta(Orderable.Meta):
        abstract = True
        verbose_name = "top story"
        verbose_name_plural = "top stories"


def front_panels(what):
    """The editor's panel for a front: the lead, then the top stories in order."""
    return MultiFieldPanel(
        [
            FieldPanel("lead_article"),
            InlinePanel("front_stories", max_num=FRONT_TOP_STORIES, label="Top story"),
        ],
        heading="Front",
        help_text=(
            f"The lead, then up to {FRONT_TOP_STORIES} top stories in this order; the newest "
            f"stories of {what} fill the rest of the {FRONT_SIZE} places. A story that is "
            "unpublished, made private or not yet live is skipped."
        ),
    )


def lead_article_field(what):
    return models.ForeignKey(
        ArticlePage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=(
            f"The story at the top of {what}. Leave empty to lead with the newest published "
            "story. A story that is unpublished later is replaced automatically."
        ),
    )


@dataclass(frozen=True)
class FrontCard:
    """One place on a front: `placement` is "lead", "top" (placed by an editor) or "latest"."""

    placement: str
    article: ArticlePage


def placed_ids(front_page):
    """The chosen lead's id and the top stories' ids in the editor's order, none twice."""
    ids = [front_page.lead_article_id] if front_page.lead_article_id else []
    for row in front_page.front_stories.all():
        if row.article_id and row.article_id not in ids:
            ids.append(row.article_id)
    return ids


def arrange_front(front_page, newest, *, fetch, size=FRONT_SIZE):
    """The front's cards in order: the chosen lead, the top stories, then the newest of
    `newest` (a queryset of live, public stories) to fill `size` places, none twice.

    Only live, public stories of a site are shown: a placed story that is not (unpublished,
    private, not yet live) is skipped and the fill closes the gap; with no lead shown, the
    newest story leads. `fetch(ids)` returns {pk: article} for the cards, in one go, so the
    queries do not grow with the cards. Declares what the front shows: each placed story,
    shown or not (its publish must reach the front), and each card.
    """
    placed = placed_ids(front_page)
    shows(*(page_key(pk) for pk in placed))
    visible = set()
    if placed:
        visible = set(
            ArticlePage.objects.live()
            .public()
            .in_a_site()
            .filter(pk__in=placed)
            .values_list("pk", flat=True)
        )
    chosen = [pk for pk in placed if pk in visible]
    lead_chosen = bool(front_page.lead_article_id) and front_page.lead_article_id in visible
    wanted = max(size - len(chosen), 0)
    fill = list(newest.exclude(pk__in=chosen).newest_first().values_list("pk", flat=True)[:wanted])

    order = []
    if lead_chosen:
        order.append((LEAD, chosen[0]))
        order += [(TOP, pk) for pk in chosen[1:]]
    elif fill:
        # The newest story leads, then the editor's top stories.
        order.append((LEAD, fill.pop(0)))
        order += [(TOP, pk) for pk in chosen]
    elif chosen:
        order.append((LEAD, chosen[0]))
        order += [(TOP, pk) for pk in chosen[1:]]
    order += [(LATEST, pk) for pk in fill]
    order = order[:size]
    articles = fetch([pk for _placement, pk in order]) if order else {}
    cards = [FrontCard(placement, articles[pk]) for placement, pk in order if pk in articles]
    shows_cards(card.article for card in cards)
    return cards


def fetch_listing_cards(ids):
    """{pk: article} with what a reader page's card shows."""
    return ArticlePage.objects.filter(pk__in=ids).for_cards().in_bulk()
