"""Sections of the paper: each has a front an editor arranges, then its articles, newest first."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index

from cms.caching import answers

from ..dependencies import FRONTS, section_key, shows_cards
from ..editorial.forms import NewsroomPageForm
from ..editorial.permissions import SectionPermissionTester
from ..preview import HeadlessPreviewMixin
from .articles import ArticlePage, NewsroomPageManager
from .fronts import FrontStory, arrange_front, fetch_listing_cards, front_panels, lead_article_field


class SectionPage(HeadlessPreviewMixin, Page):
    """A section of the paper (World, Business…): its front, then its articles, newest first."""

    objects = NewsroomPageManager()
    base_form_class = NewsroomPageForm

    intro = models.TextField(
        blank=True, help_text="A line under the section name telling readers what it covers."
    )
    lead_article = lead_article_field("the section's front")

    content_panels = Page.content_panels + [FieldPanel("intro"), front_panels("the section")]

    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.ArticlePage", "news.LiveBlogPage"]

    def permissions_for_user(self, user):
        return SectionPermissionTester(user, self)

    def get_articles(self):
        """The section's live, public articles, newest first, ready for a listing."""
        return ArticlePage.objects.live().public().in_section(self).for_cards().newest_first()

    def get_front(self, fetch=fetch_listing_cards):
        """The section front's cards in order (news/models/fronts.py)."""
        return arrange_front(
            self, ArticlePage.objects.live().public().in_section(self), fetch=fetch
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        answers(section_key(self.pk), FRONTS)  # its list, and its own fields and front
        front = self.get_front()
        # The front leads the first page; the listing goes on with every other story.
        listing = self.get_articles().exclude(pk__in=[card.article.pk for card in front])
        paginator = Paginator(listing, settings.NEWS_ARTICLES_PER_PAGE)
        # get_page() turns text, negative and out-of-range numbers into a valid page.
        context["articles"] = paginator.get_page(request.GET.get("page"))
        context["front"] = front if context["articles"].number == 1 else []
        shows_cards(context["articles"].object_list)
        return context


class SectionFrontStory(FrontStory):
    """A top story on a section's front."""

    page = ParentalKey(SectionPage, on_delete=models.CASCADE, related_name="front_stories")
