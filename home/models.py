"""The site root: the home page with its front and the latest of each section."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.models import Page

from cms.caching import answers
from news.dependencies import FRONTS, STORIES, shows_cards
from news.editorial.forms import NewsroomPageForm
from news.editorial.permissions import FrontPagePermissionTester
from news.models import (
    ArticlePage,
    FrontStory,
    NewsroomPageManager,
    SectionPage,
    arrange_front,
    fetch_listing_cards,
    front_panels,
    lead_article_field,
)
from news.preview import HeadlessPreviewMixin

HOME_STORIES_PER_SECTION = 4


class HomePage(HeadlessPreviewMixin, Page):
    """The front page: the front an editor arranges, then the newest stories of each section."""

    objects = NewsroomPageManager()
    base_form_class = NewsroomPageForm

    lead_article = lead_article_field("the front page")

    content_panels = Page.content_panels + [front_panels("the whole paper")]

    # api_fields: news/api/representation.py (the front as shown, live and public only).

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.SectionPage"]
    max_count = 1

    def permissions_for_user(self, user):
        return FrontPagePermissionTester(user, self)

    def get_lead_article(self):
        """The front's lead: the chosen story while it is live and public, else the newest."""
        front = self.get_front()
        return front[0].article if front else None

    def get_front(self, fetch=fetch_listing_cards):
        """The front's cards in order (news/models/fronts.py)."""
        return arrange_front(
            self, ArticlePage.objects.live().public().descendant_of(self), fetch=fetch
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        answers(STORIES, FRONTS)  # every story, and its own fields and front
        front = self.get_front()
        sections = list(SectionPage.objects.live().public().child_of(self))
        # No story twice: the sections go on below the front.
        latest = (
            ArticlePage.objects.live()
            .public()
            .descendant_of(self)
            .exclude(pk__in=[card.article.pk for card in front])
            .latest_per_section(sections, HOME_STORIES_PER_SECTION)
        )
        context["front"] = front
        context["lead_article"] = front[0].article if front else None
        shows_cards(card for cards in latest.values() for card in cards)
        context["section_blocks"] = [
            (section, latest.get(section.path, [])) for section in sections
        ]
        return context


class HomeFrontStory(FrontStory):
    """A top story on the front page."""

    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="front_stories")
