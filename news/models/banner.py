"""The breaking-news banner: a line of text linking to a story, shown on every reader page."""

from datetime import timedelta

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.models import DraftStateMixin, RevisionMixin

from ..dependencies import shows_banner
from .articles import ArticlePage

BANNER_TEXT_LENGTH = 140


def two_hours_from_now():
    return timezone.now() + timedelta(hours=2)


class BreakingNewsQuerySet(models.QuerySet):
    def showing(self, now=None):
        """The banners readers see: published and not yet expired, newest publish first."""
        now = now or timezone.now()
        return self.filter(live=True, expires_at__gt=now).order_by("-last_published_at", "-pk")


class BreakingNews(DraftStateMixin, RevisionMixin, models.Model):
    """A breaking-news banner (a snippet with drafts, revisions, scheduling and history).

    Readers see the one published last, until its expiry time or until an editor unpublishes
    it; publishing, unpublishing and expiry reach every page and the API at once
    (news/dependencies.py BANNER).
    """

    text = models.CharField(
        max_length=BANNER_TEXT_LENGTH,
        help_text="One line, e.g. “Storm closes the harbour: ferries cancelled”.",
    )
    article = models.ForeignKey(
        ArticlePage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The story the banner links to (shown without a link while it is not live).",
    )
    expires_at = models.DateTimeField(
        default=two_hours_from_now,
        help_text="The banner disappears from every page at this time.",
    )
    revisions = GenericRelation(
        "wagtailcore.Revision",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="breaking_news",
        for_concrete_model=False,
    )

    objects = BreakingNewsQuerySet.as_manager()

    panels = [
        FieldPanel("text"),
        PageChooserPanel("article", "news.ArticlePage"),
        FieldPanel("expires_at"),
    ]

    class Meta:
        verbose_name = "breaking news banner"
        verbose_name_plural = "breaking news banners"

    def __str__(self):
        return self.text


def banner_as_shown(fetch=None):
    """(the banner readers see, or None; its story while live and public, else None), and
    declares what that shows (news/dependencies.py shows_banner). `fetch(ids)`, {pk: article},
    fetches the story as a card needs it (by default only what a link needs)."""
    banner = BreakingNews.objects.showing().first()
    shows_banner(banner)
    if banner is None or not banner.article_id:
        return banner, None
    visible = ArticlePage.objects.live().public().in_a_site().filter(pk=banner.article_id)
    if fetch is not None:
        ids = list(visible.values_list("pk", flat=True))
        return banner, fetch(ids).get(banner.article_id) if ids else None
    return banner, visible.only("title", "url_path").first()
