"""Sections of the paper: each lists its articles, newest first."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index

from cms.caching import answers

from ..dependencies import section_key, shows_cards
from ..editorial.forms import NewsroomPageForm
from ..editorial.permissions import SectionPermissionTester
from ..preview import HeadlessPreviewMixin
from .articles import ArticlePage


class SectionPage(HeadlessPreviewMixin, Page):
    """A section of the paper (World, Business…): lists its articles, newest first."""

    base_form_class = NewsroomPageForm

    intro = models.TextField(
        blank=True, help_text="A line under the section name telling readers what it covers."
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]

    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.ArticlePage"]

    def permissions_for_user(self, user):
        return SectionPermissionTester(user, self)

    def get_articles(self):
        """The section's live, public articles, newest first, ready for a listing."""
        return ArticlePage.objects.live().public().in_section(self).for_listing().newest_first()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.get_articles(), settings.NEWS_ARTICLES_PER_PAGE)
        # get_page() turns text, negative and out-of-range numbers into a valid page.
        context["articles"] = paginator.get_page(request.GET.get("page"))
        answers(section_key(self.pk))
        shows_cards(context["articles"].object_list)
        return context
