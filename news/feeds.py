"""RSS 2.0 and Atom feeds of the newest live, public stories: whole site, per section, per tag.

Mounted in cms/urls.py with `path("feeds/", include("news.feeds"))`:
    /feeds/rss/  /feeds/atom/
    /feeds/section/<slug>/rss/  /feeds/section/<slug>/atom/
    /feeds/tag/<slug>/rss/  /feeds/tag/<slug>/atom/
    /feeds/corrections/rss/  /feeds/corrections/atom/   (the corrections page's notes)
    /feeds/live/<id>/rss/  /feeds/live/<id>/atom/   (a live blog's key events)
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import path, re_path, reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from taggit.models import Tag
from wagtail.models import Site
from wagtail.rich_text import expand_db_html

from cms.caching import answers, shows

from .dependencies import (
    FRONTS,
    STORIES,
    live_blog_keys,
    live_post_keys,
    section_key,
    shows_cards,
    tag_key,
)
from .models import ArticlePage, LiveBlogPage, LivePost, SectionPage
from .seo import absolute_url, image_mime_type, page_url, share_image, site_name
from .tags import tag_description, tag_url

FEED_LENGTH = 20
MEDIA_RSS = "http://search.yahoo.com/mrss/"

app_name = "feeds"


class MediaRSSMixin:
    """Adds the lead image as a Media RSS <media:content>, which aggregators show as a picture."""

    def add_media_namespace(self, attributes):
        return {**attributes, "xmlns:media": MEDIA_RSS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        image = item.get("image")
        if image:
            handler.addQuickElement("media:content", "", image)


class NewsRssFeed(MediaRSSMixin, Rss201rev2Feed):
    def rss_attributes(self):
        return self.add_media_namespace(super().rss_attributes())


class NewsAtomFeed(MediaRSSMixin, Atom1Feed):
    def root_attributes(self):
        return self.add_media_namespace(super().root_attributes())


@dataclass
class Channel:
    """One feed's subject and articles, built per request (Feed instances are shared)."""

    request: object
    publisher: str
    title: str
    link: str
    description: str
    articles: object
    # What the list is (news/dependencies.py): all stories, a section's or a tag's.
    shows: tuple = (STORIES,)
    entries: list = field(default_factory=list)


@dataclass
class Entry:
    """One story as a feed item, with its full URLs worked out from the request."""

    article: ArticlePage
    link: str
    enclosure: Enclosure | None
    image: dict | None


def entry_for(request, article):
    rendition = share_image(article)
    if rendition is None:
        return Entry(article, page_url(request, article), None, None)
    url = absolute_url(request, rendition.url)
    mime_type = image_mime_type(rendition)
    try:
        length = rendition.file.size
    except OSError:
        length = 0  # RSS: "0" when the size is unknown
    return Entry(
        article,
        page_url(request, article),
        Enclosure(url=url, length=str(length), mime_type=mime_type),
        {
            "url": url,
            "type": mime_type,
            "medium": "image",
            "width": str(rendition.width),
            "height": str(rendition.height),
        },
    )


def live_articles(site):
    return ArticlePage.objects.live().public().descendant_of(site.root_page)


class LatestStoriesFeed(Feed):
    """The whole paper's newest stories."""

    feed_type = NewsRssFeed

    def get_object(self, request):
        site = find_site(request)
        name = site_name(request)
        return Channel(
            request=request,
            publisher=name,
            title=name,
            link=page_url(request, site.root_page),
            description=f"The latest stories from {name}.",
            articles=live_articles(site),
        )

    def title(self, channel):
        return channel.title

    def link(self, channel):
        return channel.link

    def description(self, channel):
        # Read as HTML like the items' descriptions, and it quotes names editors type (a
        # tag's or section's), so it is escaped the same way.
        return escape(channel.description)

    subtitle = description

    def author_name(self, channel):
        # Atom wants an author for every entry; the paper stands in for unsigned stories.
        return channel.publisher

    def items(self, channel):
        articles = channel.articles.for_listing().newest_first()[:FEED_LENGTH]
        answers(*channel.shows)
        shows_cards(articles)
        return [entry_for(channel.request, article) for article in articles]

    def item_title(self, entry):
        return entry.article.title

    def item_link(self, entry):
        return entry.link

    def item_description(self, entry):
        # RSS descriptions and Atom summaries are read as HTML; the teaser is plain text.
        return escape(entry.article.teaser)

    def item_guid(self, entry):
        # Stable across renames and moves, unlike the link (RFC 4151 tag URI).
        published = entry.article.first_published_at
        host = urlsplit(entry.link).hostname
        return f"tag:{host},{published:%Y-%m-%d}:article:{entry.article.pk}"

    item_guid_is_permalink = False

    def item_author_name(self, entry):
        return entry.article.byline or None

    def item_pubdate(self, entry):
        return entry.article.first_published_at

    def item_updateddate(self, entry):
        return entry.article.last_published_at or entry.article.first_published_at

    def item_categories(self, entry):
        return [tag.name for tag in entry.article.tags.all()]

    def item_enclosures(self, entry):
        return [entry.enclosure] if entry.enclosure else []

    def item_extra_kwargs(self, entry):
        return {"image": entry.image}


class LatestStoriesAtomFeed(LatestStoriesFeed):
    feed_type = NewsAtomFeed


class SectionFeed(LatestStoriesFeed):
    """The newest stories of one section."""

    def get_object(self, request, slug):
        site = find_site(request)
        section = (
            SectionPage.objects.live().public().child_of(site.root_page).filter(slug=slug).first()
        )
        if section is None:
            raise Http404("No such section.")
        name = site_name(request)
        return Channel(
            request=request,
            publisher=name,
            title=f"{name}: {section.title}",
            link=page_url(request, section),
            description=section.intro or f"The latest {section.title} stories from {name}.",
            articles=ArticlePage.objects.live().public().in_section(section),
            shows=(section_key(section.pk), FRONTS),
        )


class SectionAtomFeed(SectionFeed):
    feed_type = NewsAtomFeed


class TagFeed(LatestStoriesFeed):
    """The newest stories carrying one tag."""

    def get_object(self, request, slug):
        site = find_site(request)
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            raise Http404("No such tag.")
        name = site_name(request)
        return Channel(
            request=request,
            publisher=name,
            title=f"{name}: {tag.name}",
            link=absolute_url(request, tag_url(tag.slug)),
            description=tag_description(tag, name),
            articles=live_articles(site).filter(tags__slug=tag.slug),
            shows=(tag_key(tag.pk),),
        )


class TagAtomFeed(TagFeed):
    feed_type = NewsAtomFeed


class CorrectionsFeed(Feed):
    """The newest published correction, clarification and update notes (the corrections
    page's list), each linking to its story's notes."""

    feed_type = NewsRssFeed

    def get_object(self, request):
        find_site(request)
        name = site_name(request)
        return Channel(
            request=request,
            publisher=name,
            title=f"{name}: corrections and updates",
            link=absolute_url(request, reverse("corrections")),
            description=f"Corrections, clarifications and updates to stories from {name}.",
            articles=None,
        )

    title = LatestStoriesFeed.title
    link = LatestStoriesFeed.link
    description = LatestStoriesFeed.description
    subtitle = LatestStoriesFeed.description
    author_name = LatestStoriesFeed.author_name

    def items(self, channel):
        from .corrections import declare_notes, published_notes

        notes = list(published_notes(find_site(channel.request))[:FEED_LENGTH])
        declare_notes(notes)
        return [(note, f"{page_url(channel.request, note.page)}#corrections") for note in notes]

    def item_title(self, item):
        note, _link = item
        return f"{note.get_kind_display()}: {note.page.title}"

    def item_link(self, item):
        return item[1]

    def item_description(self, item):
        return escape(item[0].text)

    def item_guid(self, item):
        note, link = item
        return f"tag:{urlsplit(link).hostname},{note.published_at:%Y-%m-%d}:correction:{note.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item[0].published_at

    def item_updateddate(self, item):
        return item[0].published_at


class CorrectionsAtomFeed(CorrectionsFeed):
    feed_type = NewsAtomFeed


class LiveBlogFeed(Feed):
    """A live, public live blog's key events, newest first: one entry each."""

    feed_type = NewsRssFeed

    def get_object(self, request, page_id):
        site = find_site(request)
        page = (
            LiveBlogPage.objects.live()
            .public()
            .descendant_of(site.root_page)
            .filter(pk=page_id if page_id < 2**31 else 0)
            .first()
        )
        if page is None:
            raise Http404("No such live blog.")
        page.feed_request = request
        return page

    def title(self, page):
        return f"{site_name(page.feed_request)}: {page.title}"

    def link(self, page):
        return page_url(page.feed_request, page)

    def description(self, page):
        return escape(page.intro or f"Key events of {page.title}, as they happen.")

    subtitle = description

    def author_name(self, page):
        return site_name(page.feed_request)

    def items(self, page):
        answers(*live_blog_keys(page))
        posts = (
            LivePost.objects.published()
            .filter(live_blog=page, key_event=True)
            .select_related("author")
            .newest_first()[:FEED_LENGTH]
        )
        link = page_url(page.feed_request, page)
        for post in posts:
            shows(*live_post_keys(post))
            post.feed_link = f"{link}#post-{post.pk}"
        return list(posts)

    def item_title(self, post):
        return str(post)

    def item_link(self, post):
        return post.feed_link

    def item_description(self, post):
        # The body is the post's cleaned rich text (news/rich_text.py), links made public.
        return expand_db_html(post.body)

    def item_guid(self, post):
        host = urlsplit(post.feed_link).hostname
        return f"tag:{host},{post.posted_at:%Y-%m-%d}:live-post:{post.pk}"

    item_guid_is_permalink = False

    def item_author_name(self, post):
        return post.author.name if post.author else None

    def item_pubdate(self, post):
        return post.posted_at

    def item_updateddate(self, post):
        return post.corrected_at or post.posted_at


class LiveBlogAtomFeed(LiveBlogFeed):
    feed_type = NewsAtomFeed


def find_site(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("No site is configured for this host.")
    return site


def feed_links(request, section=None, tag_slug=None, corrections=False):
    """The <link rel="alternate"> entries a page advertises: (title, MIME type, full URL)."""
    name = site_name(request)
    if corrections:
        title, args, prefix = f"{name}: corrections", [], "corrections-"
    elif section is not None:
        title, args, prefix = f"{name}: {section.title}", [section.slug], "section-"
    elif tag_slug:
        title, args, prefix = f"{name}: {tag_slug}", [tag_slug], "tag-"
    else:
        title, args, prefix = name, [], ""
    return [
        (
            f"{title} ({label})",
            mime_type,
            absolute_url(request, reverse(f"feeds:{prefix}{kind}", args=args)),
        )
        for kind, label, mime_type in (
            ("rss", "RSS", "application/rss+xml"),
            ("atom", "Atom", "application/atom+xml"),
        )
    ]


# Slugs may be Unicode ("café"); the pattern still refuses NUL, which PostgreSQL cannot compare.
SLUG = r"(?P<slug>[-\w]+)"

urlpatterns = [
    path("rss/", LatestStoriesFeed(), name="rss"),
    path("atom/", LatestStoriesAtomFeed(), name="atom"),
    path("corrections/rss/", CorrectionsFeed(), name="corrections-rss"),
    path("corrections/atom/", CorrectionsAtomFeed(), name="corrections-atom"),
    re_path(rf"^section/{SLUG}/rss/$", SectionFeed(), name="section-rss"),
    re_path(rf"^section/{SLUG}/atom/$", SectionAtomFeed(), name="section-atom"),
    re_path(rf"^tag/{SLUG}/rss/$", TagFeed(), name="tag-rss"),
    re_path(rf"^tag/{SLUG}/atom/$", TagAtomFeed(), name="tag-atom"),
    path("live/<int:page_id>/rss/", LiveBlogFeed(), name="live-rss"),
    path("live/<int:page_id>/atom/", LiveBlogAtomFeed(), name="live-atom"),
]
