"""The site root: the home page with its lead story and the latest of each section."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.models import Page

from news.api.representation import LeadArticleField
from news.editorial.forms import NewsroomPageForm
from news.editorial.permissions import FrontPagePermissionTester
from news.preview import HeadlessPreviewMixin

HOME_STORIES_PER_SECTION = 4


class HomePage(HeadlessPreviewMixin, Page):
    """The front page: a lead story, then the newest stories of each section."""

    base_form_class = NewsroomPageForm

    lead_article = models.ForeignKey(
        "news.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=(
            "The story at the top of the front page. Leave empty to lead with the newest "
            "published story. A story that is unpublished later is replaced automatically."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("lead_article"),
    ]

    # The chosen story is shown only while live and public; a draft's title never leaks.
    api_fields = [APIField("lead_article", serializer=LeadArticleField())]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.SectionPage"]
    max_count = 1

    def permissions_for_user(self, user):
        return FrontPagePermissionTester(user, self)

    def get_lead_article(self):
        """The chosen lead story while it is live and public, else the newest such story."""
        from news.models import ArticlePage

        articles = ArticlePage.objects.live().public().descendant_of(self)
        if self.lead_article_id:
            chosen = articles.for_listing().filter(pk=self.lead_article_id).first()
            if chosen is not None:
                return chosen
        # The newest story's id first: ordering whole articles would read every body.
        newest = articles.newest_first().values_list("pk", flat=True).first()
        return ArticlePage.objects.for_listing().filter(pk=newest).first() if newest else None

    def get_context(self, request, *args, **kwargs):
        from news.models import ArticlePage, SectionPage

        context = super().get_context(request, *args, **kwargs)
        lead = self.get_lead_article()
        sections = list(SectionPage.objects.live().public().child_of(self))
        latest = (
            ArticlePage.objects.live()
            .public()
            .descendant_of(self)
            .exclude(pk=getattr(lead, "pk", None))
            .latest_per_section(HOME_STORIES_PER_SECTION)
        )
        context["lead_article"] = lead
        context["section_blocks"] = [
            (section, latest.get(section.path, [])) for section in sections
        ]
        return context
