"""Articles: the story page, its querysets, and its bylines, tags and related picks."""

import html
import re
from functools import reduce
from operator import or_

from django.apps import apps
from django.conf import settings
from django.db import connections, models
from django.db.models import F, Prefetch, Q, prefetch_related_objects
from django.db.models.query import ModelIterable
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.images import get_image_model, get_image_model_string
from wagtail.models import Orderable, Page, PageManager, Site
from wagtail.query import PageQuerySet
from wagtail.search import index

from cms.caching import answers, view_restrictions

from ..blocks import ArticleBodyBlock
from ..dependencies import article_keys
from ..editorial.forms import ArticlePageForm
from ..editorial.permissions import ArticlePermissionTester
from ..editorial.status import ANNOTATION, editorial_status_expression, editorial_status_of
from ..preview import HeadlessPreviewMixin
from ..related import newest_ids, related_articles
from ..renditions import rendition_specs
from .authors import Author
from .corrections import keep_published_notes, published_notes_of
from .pictures import PictureForeignKey

TEASER_LENGTH = 160

# Where an article came from on the wire (wire/): page-wide facts, not editorial content, so
# publishing or reverting to an older revision never rewinds them (ArticlePage.with_content_json).
WIRE_FIELDS = (
    "wire_uri",
    "wire_version",
    "wire_version_created",
    "wire_agency",
    "wire_first_created",
    "wire_warnings",
    "wire_revision",
)


def default_language():
    """New articles are in the site's language (a BCP 47 tag such as "en-us")."""
    return settings.LANGUAGE_CODE


def under_a_site_root():
    """A filter: the page is a site's root page or below one, so some site publishes it.

    A live page elsewhere in the tree (a second home page being prepared, say) has no public
    URL; related articles and the wire desk must not reach it either. The roots are read now
    (one small query) and become path prefixes, which the database estimates and indexes
    well; a correlated "is there a root above this row" subquery made PostgreSQL expect one
    matching row and plan whole-table scans around it.
    """
    roots = Page.objects.filter(sites_rooted_here__isnull=False).values_list("path", flat=True)
    return reduce(or_, (Q(path__startswith=path) for path in set(roots)), Q(pk__in=[]))


def share_site_root_paths(pages):
    """Give a batch of pages one read of Wagtail's site root paths for their URLs.

    Page.get_url_parts() reads Site.get_site_root_paths() (a cache round trip) once per page
    instance unless the instance holds them already: a list of 20 articles with their
    sections and related cards read them ~20 times. Reader pages need none of it: their
    URLs come through the request, which holds its own read.
    """
    root_paths = Site.get_site_root_paths()
    for page in pages:
        page._wagtail_cached_site_root_paths = root_paths


class SectionIterable(ModelIterable):
    """Yields articles with their section attached, fetched in one query for the whole batch."""

    def __iter__(self):
        articles = list(super().__iter__())
        parent_paths = {article.path[: -Page.steplen] for article in articles}
        # Sections list articles, so their module sits above this one: reach it by name.
        section_model = apps.get_model("news", "SectionPage")
        sections = {
            section.path: section
            for section in section_model.objects.filter(path__in=parent_paths).select_related(
                "locale"
            )
        }
        for article in articles:
            article.__dict__["section"] = sections.get(article.path[: -Page.steplen])
            yield article


class NewsroomPageQuerySet(PageQuerySet):
    """Wagtail's page queryset, whose public() and private_q() read the view restrictions this
    process keeps per site version (cms.caching.view_restrictions; any privacy change bumps
    the site) instead of querying them at each call: a reader page calls them several times."""

    def private_q(self):
        q = Q()
        for restriction in view_restrictions():
            q |= self.descendant_of_q(restriction.page, inclusive=True)
        return q if q else Q(pk__in=[])


NewsroomPageManager = PageManager.from_queryset(NewsroomPageQuerySet)


class ArticlePageQuerySet(NewsroomPageQuerySet):
    """Articles, with the editorial rules of listings as chainable methods."""

    def in_a_site(self):
        return self.filter(under_a_site_root())

    def in_section(self, section):
        return self.child_of(section)

    def newest_first(self):
        return self.order_by(F("first_published_at").desc(nulls_last=True), "-pk")

    def with_editorial_status(self):
        """Each article's editorial_status computed in the query, for listings and filters."""
        return self.annotate(**{ANNOTATION: editorial_status_expression()})

    def with_editorial_status_in(self, *statuses):
        return self.with_editorial_status().filter(**{f"{ANNOTATION}__in": statuses})

    def for_cards(self, *sizes):
        """What a story card shows (section, byline, teaser, picture) in a fixed number of queries.

        `sizes` names the renditions to fetch along (news/renditions.py); all by default.
        """
        images = (
            get_image_model()
            .objects.select_related("rights")
            .prefetch_renditions(*rendition_specs(*sizes))
        )
        # Not select_related("lead_image"): it would make Django skip the renditions prefetch.
        clone = self.prefetch_related(
            byline_prefetch(),
            Prefetch("lead_image", queryset=images),
        )
        clone._iterable_class = SectionIterable
        return clone

    def for_listing(self, *sizes):
        """Everything a listing, feed or API item shows: a card's data and the tags."""
        return self.for_cards(*sizes).prefetch_related("tags")

    def for_api(self, *, related=True, fields=None):
        """What the API representation needs on top of a story card: the locale, the tags,
        the correction notes, and the related picks unless it shows no related articles
        (`related=False`).

        With `fields`, the names a response shows (?fields=), work follows them: no tags or
        notes unless shown, and no body read unless the body or the teaser (cut from it) is.
        """
        clone = self.for_cards().select_related("locale")
        if fields is None or "tags" in fields:
            clone = clone.prefetch_related("tags")
        if fields is None or "corrections" in fields:
            clone = clone.prefetch_related("corrections")
        if fields is not None and not {"body", "teaser"} & set(fields):
            clone = clone.defer("body")
        return clone.prefetch_related("related_links") if related else clone

    def latest_per_section(self, sections, per_section):
        """The newest `per_section` articles of each of `sections` (pages), as
        {section path: [articles]}.

        One LIMIT query per section on the newest-first index, all in one UNION ALL: the
        database walks the index and stops early, where a window ranking every story sorts
        them all (10 ms for 10,000 stories, read by the home page after every publish).
        Undated stories rank last.
        """
        if not sections:
            return {}
        parts = [
            ids
            for section in sections
            for ids in newest_ids(
                self.filter(path__startswith=section.path, depth=section.depth + 1), per_section
            )
        ]
        if connections[self.db].features.supports_slicing_ordering_in_compound:
            chosen = Q(pk__in=list(parts[0].union(*parts[1:], all=True)))
        else:
            # SQLite: no LIMIT inside a compound query; the same as subqueries (its planner
            # reads them well).
            chosen = reduce(or_, (Q(pk__in=ids) for ids in parts))
        winners = self.model.objects.filter(chosen)
        grouped = {}
        for article in winners.for_cards().newest_first():
            grouped.setdefault(article.path[: -Page.steplen], []).append(article)
        return {path: articles[:per_section] for path, articles in grouped.items()}


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)


class ArticleTag(TaggedItemBase):
    """Links an article to a tag; a ParentalKey so a revision keeps its tags."""

    content_object = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePage(HeadlessPreviewMixin, Page):
    """A news story: headline, standfirst, bylines, lead image and a StreamField body."""

    base_form_class = ArticlePageForm

    intro = models.TextField(
        "standfirst",
        blank=True,
        help_text="One or two sentences under the headline that sum up the story.",
    )
    dateline = models.CharField(
        max_length=255, blank=True, help_text='Where the story was filed, e.g. "BAGHDAD, Iraq".'
    )
    # Reads as None once the picture's rights expired (news/models/pictures.py).
    lead_image = PictureForeignKey(
        get_image_model_string(), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_image_caption = models.CharField("caption", max_length=500, blank=True)
    lead_image_credit = models.CharField(
        "credit", max_length=255, blank=True, help_text='e.g. "AFP photo".'
    )
    lead_image_alt = models.CharField(
        "alt text",
        max_length=255,
        blank=True,
        help_text="Describe the picture for readers who cannot see it. "
        "Leave empty to use the image's own description.",
    )
    body = StreamField(ArticleBodyBlock())
    tags = ClusterTaggableManager(through=ArticleTag, blank=True)
    language = models.CharField(
        max_length=35,
        default=default_language,
        help_text='The language of the story as a BCP 47 tag, e.g. "en", "fr" or "nb-NO".',
    )

    # The wire origin of agency copy, written by the wire desk (wire/importer.py) only.
    wire_uri = models.CharField(
        "wire URI",
        max_length=500,
        unique=True,
        null=True,
        blank=True,
        help_text="The agency's identifier of the story (ninjs uri); empty for our own stories.",
    )
    wire_version = models.CharField(max_length=100, blank=True)
    wire_version_created = models.DateTimeField(null=True, blank=True)
    wire_agency = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="wire_articles"
    )
    wire_first_created = models.DateTimeField(null=True, blank=True)
    wire_warnings = models.JSONField(
        default=list, blank=True, help_text="What the wire desk could not take from the agency."
    )
    wire_revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ArticlePageManager()

    # Not words: changing them makes nobody an author (news/editorial/changes.py). A note's
    # date is set by the publish that puts it live, not by anyone's edit.
    non_editorial_fields = (*WIRE_FIELDS, "corrections.published_at")

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("dateline"),
        InlinePanel("article_authors", label="Bylines", heading="Bylines"),
        MultiFieldPanel(
            [
                FieldPanel("lead_image"),
                FieldPanel("lead_image_caption"),
                FieldPanel("lead_image_credit"),
                FieldPanel("lead_image_alt"),
            ],
            heading="Lead image",
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
        InlinePanel("related_links", label="Related article", heading="Related articles"),
        InlinePanel(
            "corrections",
            label="Correction or update",
            heading="Corrections and updates",
            help_text="Dated notes shown under the story and flagged at its top. They go "
            "through review like any change; once published they are never changed or removed.",
        ),
    ]
    settings_panels = Page.settings_panels + [FieldPanel("language")]

    # One index for reader search and the API's ?search= (search/query.py). The headline keeps
    # Page's boost; the database backends store it apart from the rest, which ranks a headline
    # match above a body-only one. Filters: section (path/depth), date and tags.
    search_fields = Page.search_fields + [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("dateline"),
        index.RelatedFields("tags", [index.SearchField("name"), index.FilterField("slug")]),
        index.RelatedFields(
            "article_authors", [index.RelatedFields("author", [index.SearchField("name")])]
        ),
        index.FilterField("first_published_at"),
    ]

    # The API representation (api_fields) is attached by news/api/representation.py, which
    # builds on these models.

    parent_page_types = ["news.SectionPage"]
    subpage_types = []

    class Meta:
        permissions = [("ingest_wire", "Can ingest agency copy from the wire")]

    def permissions_for_user(self, user):
        return ArticlePermissionTester(user, self)

    def with_content_json(self, content):
        """A revision's content on this page, keeping the page's current wire origin."""
        obj = super().with_content_json(content)
        for name in WIRE_FIELDS:
            field = self._meta.get_field(name)
            setattr(obj, field.attname, getattr(self, field.attname))
        # Published notes are page-wide too: no revision (an old one, a reverted one, a wire
        # update) removes, rewrites or re-dates them.
        return keep_published_notes(obj, published_notes_of(self.pk))

    @property
    def editorial_status(self):
        """Where the story stands (an EditorialStatus such as "in_review"), from Wagtail's state."""
        return editorial_status_of(self)

    @cached_property
    def section(self):
        """The section page the article lives in (attached in bulk by listings)."""
        parent = self.get_parent()
        return parent.specific if parent is not None else None

    @property
    def authors(self):
        """The authors in byline order: prefetched by listings, else fetched in one query."""
        links = self.article_authors.all()
        if "article_authors" not in getattr(self, "_prefetched_objects_cache", {}):
            # Not prefetched: one query with the authors, not one per byline.
            links = links.select_related("author")
        return [link.author for link in links]

    @property
    def byline(self):
        """The authors' names as a byline: "AFP", "A and B", "A, B and AFP"."""
        names = [author.name for author in self.authors]
        if len(names) <= 1:
            return "".join(names)
        return f"{', '.join(names[:-1])} and {names[-1]}"

    def shown_corrections(self, *, preview=False):
        """The notes readers see, oldest first: the published ones (in a preview, also those
        about to be published, undated, last)."""
        notes = [
            note for note in self.corrections.all() if preview or note.published_at is not None
        ]
        return sorted(
            notes,
            key=lambda note: (
                note.published_at is None,
                note.published_at or 0,
                note.sort_order or 0,
            ),
        )

    @property
    def lead_image_alt_text(self):
        if self.lead_image_alt:
            return self.lead_image_alt
        return self.lead_image.description if self.lead_image else ""

    def body_text(self):
        """The plain text of the body's paragraphs, in order."""
        # Raw data, not the blocks: converting the body would fetch its images too.
        parts = [
            html.unescape(strip_tags(block["value"] or ""))
            for block in self.body.raw_data
            if block["type"] == "paragraph"
        ]
        return re.sub(r"\s+", " ", " ".join(parts)).strip()

    @property
    def teaser(self):
        """The standfirst, else the body's opening cut on a word boundary with an ellipsis."""
        if self.intro:
            return self.intro
        text = self.body_text()
        if len(text) <= TEASER_LENGTH:
            return text
        cut = text[: TEASER_LENGTH + 1].rsplit(" ", 1)[0]
        return cut.rstrip(" ,;:.-—") + "…"

    @cached_property
    def related_articles(self):
        """The related articles the page shows (attached in bulk by API listings)."""
        return self.get_related_articles()

    def get_related_articles(self, limit=3):
        """Hand-picked live articles first, then the newest sharing a tag, then the same section."""
        return related_articles([self], limit=limit)[self.pk]

    def prefetch_for_page(self):
        """Fetches at once what the article page reads several times (the page, its JSON-LD,
        its share tags and what it declares it shows): the byline, tags, correction notes and
        the lead picture with its renditions. Not in a preview, whose notes, tags and byline
        are the draft's own, in memory."""
        images = get_image_model().objects.select_related("rights").prefetch_renditions()
        prefetch_related_objects(
            [self],
            byline_prefetch(),
            "tags",
            "corrections",
            Prefetch("lead_image", queryset=images),
        )

    def get_context(self, request, *args, **kwargs):
        if not getattr(request, "is_preview", False):
            self.prefetch_for_page()
        context = super().get_context(request, *args, **kwargs)
        context["related_articles"] = self.related_articles
        context["corrections"] = self.shown_corrections(
            preview=getattr(request, "is_preview", False)
        )
        answers(*article_keys(self), *self.__dict__.get("related_keys", ()))
        return context


class ArticleAuthor(Orderable):
    """One byline of an article, in the order the byline reads."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="article_authors")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="article_links")

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        verbose_name = "byline"

    def __str__(self):
        return str(self.author)


def byline_prefetch():
    """The bylines of stories in one query, each with its author (Author.name, its link)."""
    return Prefetch("article_authors", queryset=ArticleAuthor.objects.select_related("author"))


class RelatedArticle(Orderable):
    """An article an editor picked to show beside this one."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="related_links")
    article = models.ForeignKey(
        ArticlePage, on_delete=models.CASCADE, related_name="+", help_text="A published story."
    )

    panels = [PageChooserPanel("article", "news.ArticlePage")]

    class Meta(Orderable.Meta):
        verbose_name = "related article"
