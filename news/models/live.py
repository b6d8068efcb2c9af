"""Live blogs: a page opened through review like any story, and its posts, which go out at once.

A post is not part of its page's revisions: publishing the whole page for every post would
put each one through the second read (news/editorial/second_read.py) and rewrite the page's
history every few seconds. A LivePost is its own model with its own revisions and draft
state (Wagtail's DraftStateMixin and RevisionMixin, edited as a snippet, wagtail_hooks.py):
Editors publish theirs at once, Writers (without "publish live post") save drafts that wait
for an Editor, and every save, publish and delete is in Wagtail's audit log with its user.
A post published again is a correction: it says so (`corrected_at`), and the revision it
replaced stays in its history.
"""

from django.conf import settings
from django.db import models
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.images import get_image_model, get_image_model_string
from wagtail.models import DraftStateMixin, Page, PageManager, RevisionMixin
from wagtail.search import index

from cms.caching import answers, shows

from ..dependencies import live_blog_keys, live_post_keys
from ..editorial.forms import NewsroomPageForm
from ..editorial.permissions import ArticlePermissionTester
from ..preview import HeadlessPreviewMixin
from ..renditions import rendition_specs
from .articles import NewsroomPageQuerySet
from .authors import Author

#: What a post's text may hold: short live copy, links and lists, no headings.
POST_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class LiveBlogStatus(models.TextChoices):
    UPCOMING = "upcoming", "Upcoming"
    LIVE = "live", "Live"
    ENDED = "ended", "Ended"


class LiveBlogPageQuerySet(NewsroomPageQuerySet):
    def in_section(self, section):
        return self.child_of(section)


class LiveBlogPage(HeadlessPreviewMixin, Page):
    """Live coverage of a big story: timestamped posts, newest first, key events on top."""

    base_form_class = NewsroomPageForm

    intro = models.TextField(
        "standfirst",
        blank=True,
        help_text="One or two sentences under the headline that sum up the story so far.",
    )
    lead_image = models.ForeignKey(
        get_image_model_string(), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10,
        choices=LiveBlogStatus.choices,
        default=LiveBlogStatus.UPCOMING,
        help_text="Readers' pages ask for new posts while the coverage is live.",
    )
    coverage_start = models.DateTimeField(
        null=True, blank=True, help_text="When the live coverage begins."
    )
    coverage_end = models.DateTimeField(
        null=True, blank=True, help_text="When it ended (or is planned to)."
    )

    objects = PageManager.from_queryset(LiveBlogPageQuerySet)()

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("lead_image"),
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("coverage_start"), FieldPanel("coverage_end")],
            heading="Coverage",
        ),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("title", boost=2),
        index.SearchField("intro"),
        index.FilterField("first_published_at"),
    ]

    parent_page_types = ["news.SectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = "live blog"

    def permissions_for_user(self, user):
        # The page itself (headline, status) is a story: four eyes, like an article.
        return ArticlePermissionTester(user, self)

    @property
    def is_live_now(self):
        return self.status == LiveBlogStatus.LIVE

    @property
    def teaser(self):
        return self.intro

    @cached_property
    def section(self):
        parent = self.get_parent()
        return parent.specific if parent is not None else None

    def published_posts(self):
        """The posts readers see, pinned first, then newest first."""
        return LivePost.objects.published().filter(live_blog=self).for_readers()

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        posts = self.published_posts().newest_first()
        paginator = Paginator(posts, settings.NEWS_LIVE_POSTS_PER_PAGE)
        context["posts"] = paginator.get_page(request.GET.get("page"))
        context["pinned"] = list(posts.filter(pinned=True))
        context["key_events"] = list(self.published_posts().filter(key_event=True).newest_first())
        context["latest"] = self.published_posts().aggregate(latest=Max("last_published_at"))[
            "latest"
        ]
        context["poll_interval"] = settings.NEWS_LIVE_POLL_INTERVAL
        answers(*live_blog_keys(self))
        for post in context["posts"].object_list:
            shows(*live_post_keys(post))
        return context


class LivePostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(live=True)

    def of_public_live_blogs(self, public_pages):
        """Posts of the live blogs in `public_pages` (a queryset of live, public pages)."""
        return self.filter(live_blog__in=public_pages.type(LiveBlogPage).values("pk"))

    def for_readers(self):
        """With the byline, and the picture with its renditions, in a fixed number of queries
        (the reader page and the API alike)."""
        # Not select_related("image"): it would make Django skip the renditions prefetch.
        images = get_image_model().objects.prefetch_renditions(*rendition_specs())
        return self.select_related("author").prefetch_related(Prefetch("image", queryset=images))

    def newest_first(self):
        return self.order_by("-posted_at", "-pk")

    def changed_since(self, moment):
        return self.filter(last_published_at__gt=moment)


class LivePost(DraftStateMixin, RevisionMixin, models.Model):
    """One timestamped post of a live blog: a few lines, maybe a picture or an embed."""

    live_blog = models.ForeignKey(
        LiveBlogPage, on_delete=models.CASCADE, related_name="posts", verbose_name="live blog"
    )
    posted_at = models.DateTimeField(
        "time", default=timezone.now, db_index=True, help_text="The time readers see on the post."
    )
    author = models.ForeignKey(
        Author,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="live_posts",
        help_text="The byline of the post.",
    )
    headline = models.CharField(
        max_length=255,
        blank=True,
        help_text="A short line; key events are listed at the top by it.",
    )
    body = RichTextField(features=POST_FEATURES)
    image = models.ForeignKey(
        get_image_model_string(), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    embed_url = models.URLField(
        "embed URL", blank=True, help_text="A video or social media post, by its address."
    )
    key_event = models.BooleanField(
        "key event", default=False, help_text="Listed at the top of the live blog and in feeds."
    )
    pinned = models.BooleanField(default=False, help_text="Kept above the newest posts.")
    corrected_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When a published post was last corrected (its original is in its history).",
    )

    objects = LivePostQuerySet.as_manager()

    panels = [
        FieldPanel("live_blog"),
        FieldPanel("posted_at"),
        FieldPanel("author"),
        FieldPanel("headline"),
        FieldPanel("body"),
        FieldPanel("image"),
        FieldPanel("embed_url"),
        FieldPanel("key_event"),
        FieldPanel("pinned"),
    ]

    class Meta:
        verbose_name = "live post"
        indexes = [models.Index(fields=["live_blog", "live", "-posted_at"])]

    def __str__(self):
        return self.headline or f"Post at {timezone.localtime(self.posted_at):%H:%M}"

    #: What readers read of a post: changing any of these once it is out is a correction.
    WORDS = ("headline", "body", "image_id", "embed_url")

    def save(self, *args, **kwargs):
        # A publish over a published post that changes its words is a correction (pinning it
        # or marking it a key event is not).
        if self.pk is not None and self.live and kwargs.get("update_fields") is None:
            before = LivePost.objects.filter(pk=self.pk, live=True).values(*self.WORDS).first()
            if before is not None and any(
                before[name] != getattr(self, name) for name in self.WORDS
            ):
                self.corrected_at = timezone.now()
        super().save(*args, **kwargs)
