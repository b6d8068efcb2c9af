"""What shows what: the dependency names of cached pages and kept fragments, and the URLs.

Cached responses and kept fragments record the names of what they show (cms/caching.py):

    page:<id>       an article: its live revision, address and status
    stories         the list of every live story (home, site feeds, sitemaps, API lists)
    section:<id>    the list of one section's live stories (its page, feeds, related cards)
    tag:<id>        a tag's name and the list of its live stories (its page, feeds, related
                    cards, its place in the sitemap)
    author:<id>     an author as bylines show it
    image:<id>      a picture, its rights and its renditions
    corrections     the list of published correction notes (the corrections page, its feeds)
    document:<id>   a document, as a link in a body shows it (its URL)
    liveblog:<id>   a live blog's published posts (its page, its posts endpoint, its feeds)
    site            a Site's root or host, redirects, privacy, sections and the home page
    banner          the breaking-news banner every reader page and the fronts' API show
                    (with "until:<ns>", its expiry, cms/caching.py shows_until)

A change bumps the names it touches (changed_page, changed_author, …) and purges, from the
CDN, the URLs that show it (urls_showing; page_urls of pages_referring_to), so a publish
purges what it invalidated. Pages that refer to a changed object (an author, an image, a
story picked as related or linked from a body) are found through Wagtail's reference index.
"""

import re

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from cms.caching import SITE, bump, invalidate, purging, seed_versions, shows, shows_until

STORIES = "stories"
BANNER = "banner"
# What the fronts show of themselves (the arrangement, search fields): the home and section
# pages, the section feeds and the sitemap (each front's last change) show it; their API
# details show their page:<id>.
FRONTS = "fronts"
# What a site-wide change bumps. Every reader page shows BANNER, every front FRONTS; a version
# missing from the cache counts as changed now, so they are set with the site's (the first
# pages can then be kept).
SITE_WIDE = frozenset({SITE, BANNER, FRONTS})
CORRECTIONS = "corrections"
# What every reader page shows of a section or the home page (the navigation, breadcrumbs,
# the addresses of the stories under it; a section's intro is the meta description of its
# stories without a standfirst): a change to one of these is site-wide.
NAVIGATION_FIELDS = ("title", "slug", "url_path", "live", "show_in_menus", "locale", "intro")


def news_model(name):
    """A newsroom model from Django's app registry: this map sits below news.models, which
    declares what its pages show through it, so it never imports them."""
    return apps.get_model("news", name)


def page_key(pk):
    return f"page:{pk}"


def section_key(pk):
    return f"section:{pk}"


def tag_key(pk):
    return f"tag:{pk}"


def author_key(pk):
    return f"author:{pk}"


def image_key(pk):
    return f"image:{pk}"


def live_blog_key(pk):
    return f"liveblog:{pk}"


def document_key(pk):
    return f"document:{pk}"


# What a page or fragment shows.


def byline_keys(article):
    """The authors of a byline, when already fetched."""
    if "article_authors" in getattr(article, "_prefetched_objects_cache", {}):
        return {author_key(link.author_id) for link in article.article_authors.all()}
    return set()


def card_keys(article):
    """What a story card shows: the story, its picture and, when a listing fetched them, its
    byline and tags (an API card shows neither)."""
    keys = {page_key(article.pk), *byline_keys(article)}
    if "tags" in getattr(article, "_prefetched_objects_cache", {}):
        keys |= {tag_key(tag.pk) for tag in article.tags.all()}
    if article.lead_image_id:
        keys.add(image_key(article.lead_image_id))
    return keys


def body_image_keys(article):
    return {
        image_key(block["value"]["image"])
        for block in article.body.raw_data
        if block["type"] == "image"
        and isinstance(block.get("value"), dict)
        and block["value"].get("image")
    }


# A link in Wagtail's stored rich text: <a linktype="page" id="12">, attributes in any order.
LINK = re.compile(r"<a\s([^>]*)>")
LINK_ATTRIBUTE = re.compile(r'(?<![\w-])(linktype|id)="([^"]*)"')
LINKED = {"page": page_key, "document": document_key}


def body_link_keys(article):
    """The pages and documents the body's paragraphs link to: their addresses show in it."""
    keys = set()
    for block in article.body.raw_data:
        if block["type"] != "paragraph" or not isinstance(block.get("value"), str):
            continue
        for link in LINK.finditer(block["value"]):
            attributes = dict(LINK_ATTRIBUTE.findall(link.group(1)))
            key = LINKED.get(attributes.get("linktype"))
            if key is not None and attributes.get("id", "").isdigit():
                keys.add(key(int(attributes["id"])))
    return keys


def article_keys(article):
    """What an article's page shows of it (its related cards declare theirs)."""
    keys = {page_key(article.pk), *body_image_keys(article)}
    keys |= {author_key(author.pk) for author in article.authors}
    keys |= {tag_key(tag.pk) for tag in article.tags.all()}
    if article.lead_image_id:
        keys.add(image_key(article.lead_image_id))
    return keys


def live_blog_keys(page):
    """What a live blog's page, posts endpoint and feeds show: the page and its posts."""
    keys = {page_key(page.pk), live_blog_key(page.pk)}
    if page.lead_image_id:
        keys.add(image_key(page.lead_image_id))
    return keys


def live_post_keys(post):
    """What a shown post shows besides its live blog: its byline and picture."""
    keys = set()
    if post.author_id:
        keys.add(author_key(post.author_id))
    if post.image_id:
        keys.add(image_key(post.image_id))
    return keys


def shows_cards(articles):
    """Declares the story cards a listing shows."""
    for article in articles:
        if article is not None:
            shows(*card_keys(article))


def shows_banner(banner):
    """Declares that a page shows the banner (whichever it is, or none): any change to the
    banners, its story, and its expiry make it stale."""
    shows(BANNER)
    if banner is not None:
        shows_until(banner.expires_at)
        if banner.article_id:
            shows(page_key(banner.article_id))


# The URLs that show a page, for the CDN purge.

API_LIST_PATHS = ("/api/v2/pages/", "/api/v2/pages/?type=news.ArticlePage", "/api/v3/pages/")
FEED_KINDS = ("rss", "atom")


def site_paths():
    """What any story shows on: the home page, the site feeds, the sitemaps, the API lists."""
    return {
        "/",
        *(reverse(f"feeds:{kind}") for kind in FEED_KINDS),
        reverse("sitemap"),
        reverse("news-sitemap"),
        *API_LIST_PATHS,
    }


def corrections_paths():
    return {reverse("corrections"), *(reverse(f"feeds:corrections-{kind}") for kind in FEED_KINDS)}


def has_correction_notes(article):
    """Whether the corrections page may list (or have listed) this story."""
    return news_model("CorrectionNote").objects.filter(page_id=article.pk).exists()


def api_detail_paths(page):
    return {f"/api/v2/pages/{page.pk}/", f"/api/v3/pages/{page.pk}/"}


def live_post_paths(page_id):
    """A live blog's posts endpoints and feeds (their first page; a poll's ?since= differs
    per reader and lives at most NEWS_CACHE_MAX_AGE at the CDN, see news/live.py)."""
    return {
        f"/api/v2/live_blogs/{page_id}/posts/",
        f"/api/v3/live_blogs/{page_id}/posts/",
        *(reverse(f"feeds:live-{kind}", args=[page_id]) for kind in FEED_KINDS),
    }


def feed_paths(prefix, slug):
    return {reverse(f"feeds:{prefix}-{kind}", args=[slug]) for kind in FEED_KINDS}


def listing_page(stories, article):
    """The page number of a newest-first listing of `stories` that shows `article` (or
    would, were it live)."""
    newer = stories.filter(
        Q(first_published_at__gt=article.first_published_at)
        | Q(first_published_at=article.first_published_at, pk__gt=article.pk)
    ).count()
    return newer // settings.NEWS_ARTICLES_PER_PAGE + 1


def section_urls(section, article=None):
    """A section's page and feeds; with an article, also the listing page that shows it."""
    url = section.get_full_url()
    if url is None:
        return set(), set()
    urls = {url}
    if article is not None and article.first_published_at is not None:
        stories = news_model("ArticlePage").objects.live().public().in_section(section)
        shown_on = listing_page(stories, article)
        # The section's front (fewer stories than a page) is left out of its listing, which
        # can move a story one page earlier.
        for number in {shown_on, shown_on - 1}:
            if number > 1:
                urls.add(f"{url}?page={number}")
    return urls, feed_paths("section", section.slug)


def tag_paths(tag, article, site):
    """A tag's page (news/tags.py) and feeds, and the page of its listing that shows the
    article on `site`."""
    path = reverse("tag", args=[tag.slug])
    paths = {path, *feed_paths("tag", tag.slug)}
    if article.first_published_at is not None:
        stories = (
            news_model("ArticlePage")
            .objects.live()
            .public()
            .descendant_of(site.root_page)
            .filter(tags=tag)
        )
        if (number := listing_page(stories, article)) > 1:
            paths.add(f"{path}?page={number}")
    return paths


def pages_referring_to(obj):
    """Live pages that refer to `obj` (a byline, a picture, a pick, a link), by Wagtail's
    reference index."""
    from wagtail.models import Page, ReferenceIndex

    page_type = ReferenceIndex._get_base_content_type(Page)
    ids = ReferenceIndex.get_references_to(obj).filter(base_content_type=page_type)
    return Page.objects.live().filter(
        pk__in=[int(pk) for pk in ids.values_list("object_id", flat=True)]
    )


def page_urls(pages):
    """Each page's URL and API details."""
    urls = set()
    for page in pages:
        site = page.get_site()
        if site is None:
            continue
        root = site.root_url.rstrip("/")
        if (url := page.get_full_url()) is not None:
            urls.add(url)
        urls |= {f"{root}{path}" for path in api_detail_paths(page)}
    return urls


def neighbours_of(article):
    """Live articles that show `article` as related: those that picked it (or link to it),
    and its own related articles (sharing a tag or the section, they usually show it back)."""
    return {*pages_referring_to(article), *article.get_related_articles()}


def urls_showing(page, *, parent_before=None):
    """The absolute URLs of everything that shows `page` (before a move: also its old place)."""
    ArticlePage, SectionPage = news_model("ArticlePage"), news_model("SectionPage")

    site = page.get_site()
    if site is None:
        return set()
    root = site.root_url.rstrip("/")
    page = page.specific
    urls = set()
    paths = site_paths() | api_detail_paths(page)
    if (url := page.get_full_url()) is not None:
        urls.add(url)

    if isinstance(page, SectionPage):
        paths |= feed_paths("section", page.slug)
    if isinstance(page, ArticlePage):
        sections = {page.get_parent().specific}
        if parent_before is not None:
            sections.add(parent_before.specific)
            if (old_parent_url := parent_before.get_full_url()) is not None:
                urls.add(f"{old_parent_url}{page.slug}/")
        for section in sections:
            listing_urls, section_feeds = section_urls(section, page)
            urls |= listing_urls
            paths |= section_feeds
        for tag in page.tags.all():
            paths |= tag_paths(tag, page, site)
        if has_correction_notes(page):
            paths |= corrections_paths()
        urls |= page_urls(neighbours_of(page))

    return urls | {f"{root}{path}" for path in paths}


# What a change touches.


def story_keys(article, *, sections=(), tags=(), lists=True):
    """The names a story's publish, unpublish, move or delete bumps: the story, the list of all
    stories, the pages that refer to it and every list it was or is in (its sections and
    tags; with lists=False, a republish where it stays live in place, only the tags it gained
    or lost: the others hold it as before, and what shows its card shows page:<id> too)."""
    keys = {page_key(article.pk), STORIES}
    current = {tag.pk for tag in article.tags.all()}
    if lists:
        parent = article.get_parent()
        keys |= {section_key(pk) for pk in {*sections, getattr(parent, "pk", None)} if pk}
        keys |= {tag_key(pk) for pk in {*tags, *current}}
    else:
        keys |= {tag_key(pk) for pk in set(tags) ^ current}
    keys |= {page_key(page.pk) for page in pages_referring_to(article)}
    return keys


def changed_page(page, *, parent_before=None, also=()):
    """After a page changed state: bump what shows it, and purge the URLs that show it (plus
    `also`, say its address before a rename)."""
    ArticlePage, LiveBlogPage = news_model("ArticlePage"), news_model("LiveBlogPage")

    page = page.specific
    if isinstance(page, LiveBlogPage):
        # Its page, posts and feeds; no list of stories shows a live blog.
        keys = {page_key(page.pk), live_blog_key(page.pk)}
        if purging():
            also = {*also, *absolute(page, live_post_paths(page.pk))}
    elif isinstance(page, ArticlePage):
        sections = [parent_before.pk] if parent_before is not None else []
        before = getattr(page, "_before_save", None)
        # A republish of a live story in place keeps its place in every list.
        republished = (
            before is not None
            and before.live
            and page.live
            and before.first_published_at == page.first_published_at
            and parent_before is None
        )
        tags = before.tags if before is not None else ()
        keys = story_keys(page, sections=sections, tags=tags, lists=not republished)
        if has_correction_notes(page):
            # A note published, or the story it is on leaving or moving: the notes list.
            keys.add(CORRECTIONS)
    elif navigation_unchanged(page, parent_before):
        # A section's or the home page's front or search fields: the fronts, their feeds,
        # its API details and the sitemap (its last change), not every page.
        keys = {page_key(page.pk), FRONTS}
    else:
        # A section, the home page: the navigation and breadcrumbs every page shows.
        keys = SITE_WIDE
    urls = {*urls_showing(page, parent_before=parent_before), *also} if purging() else ()
    invalidate(keys, urls)


def absolute(page, paths):
    site = page.get_site()
    if site is None:
        return set()
    root = site.root_url.rstrip("/")
    return {f"{root}{path}" for path in paths}


def changed_live_post(post):
    """A post was published, corrected, unpublished or deleted: its live blog's page, posts
    endpoints and feeds are stale at once."""
    urls = ()
    if purging():
        page = news_model("LiveBlogPage").objects.filter(pk=post.live_blog_id).first()
        if page is not None:
            urls = {page.get_full_url(), *absolute(page, live_post_paths(page.pk))}
    invalidate({live_blog_key(post.live_blog_id)}, urls)


def changed_author(author):
    invalidate({author_key(author.pk)}, page_urls(pages_referring_to(author)) if purging() else ())


def changed_image(image):
    invalidate({image_key(image.pk)}, page_urls(pages_referring_to(image)) if purging() else ())


def changed_tag(tag):
    invalidate({tag_key(tag.pk)})


def changed_document(document):
    invalidate({document_key(document.pk)})


def front_urls():
    """The fronts (home and section pages) and their API details, where a banner shows most."""
    return page_urls(
        [
            *news_model("SectionPage").objects.live(),
            *apps.get_model("home", "HomePage").objects.live(),
        ]
    )


def changed_banner(banner=None):
    """A banner was published, unpublished, edited or deleted: every page that shows the
    banner answers to BANNER. The CDN is purged of the fronts; other pages it keeps at most
    NEWS_CACHE_MAX_AGE (and never past the banner's expiry, cms/caching.py shows_until)."""
    invalidate({BANNER}, front_urls() if purging() else ())


def every_name():
    """Every name a reader's page or the API can show now: the constants, and one per live page,
    section, tag, author, picture, document and live blog in the database."""
    from taggit.models import Tag
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page

    def ids(queryset):
        return queryset.values_list("pk", flat=True).iterator(chunk_size=5000)

    yield from (SITE, BANNER, STORIES, CORRECTIONS, FRONTS)
    yield from map(page_key, ids(Page.objects.live()))
    yield from map(section_key, ids(news_model("SectionPage").objects.live()))
    yield from map(live_blog_key, ids(news_model("LiveBlogPage").objects.live()))
    yield from map(tag_key, ids(Tag.objects.all()))
    yield from map(author_key, ids(news_model("Author").objects.all()))
    yield from map(image_key, ids(get_image_model().objects.all()))
    yield from map(document_key, ids(get_document_model().objects.all()))


def seed_every_version():
    """A recovery hook (NEWS_CACHE_RECOVERY_HOOKS): gives every name a reader can be shown a
    version in a cache that came back empty, so each page is built once, not twice, before
    the cache serves it (cms/caching.py seed_versions)."""
    return seed_versions(every_name())


# Signals.


def on_page_changed(sender, instance, **kwargs):
    changed_page(instance)


def on_page_moved(sender, instance, parent_page_before, **kwargs):
    changed_page(instance, parent_before=parent_page_before)


def on_slug_changed(sender, instance, instance_before, **kwargs):
    changed_page(instance, also=[instance_before.get_full_url()])


class BeforeSave:
    """What the database held of a story before a full save: its status, date and tags."""

    def __init__(self, live, first_published_at, tags):
        self.live, self.first_published_at, self.tags = live, first_published_at, tags


def on_article_saving(sender, instance, update_fields=None, **kwargs):
    """Before a full save (a publish, an unpublish): what the lists held of the story."""
    if not instance.pk or update_fields is not None:
        return
    row = (
        news_model("ArticlePage")
        .objects.filter(pk=instance.pk)
        .values_list("live", "first_published_at")
        .first()
    )
    if row is None:
        return
    tags = news_model("ArticleTag").objects.filter(content_object_id=instance.pk)
    instance._before_save = BeforeSave(*row, set(tags.values_list("tag_id", flat=True)))


def navigation_unchanged(page, parent_before=None):
    """Whether a publish of a section or the home page left what every page shows of it as it
    was (on_front_saving saw it before the save)."""
    before = page.__dict__.get("_navigation_before")
    if parent_before is not None or before is None:
        return False
    return before == navigation_of(page)


def navigation_columns(model):
    fields = model._meta.concrete_fields
    return [field.attname for field in fields if field.name in NAVIGATION_FIELDS]


def navigation_of(page):
    return tuple(getattr(page, column) for column in navigation_columns(type(page)))


def on_front_saving(sender, instance, update_fields=None, **kwargs):
    """Before a full save (a publish) of a section or the home page: what every page showed of
    it. A draft's save names its fields and is left alone."""
    instance.__dict__.pop("_navigation_before", None)
    if not instance.pk or update_fields is not None:
        return
    columns = navigation_columns(sender)
    row = sender.objects.filter(pk=instance.pk).values_list("last_published_at", *columns).first()
    # Never published before (say, made live by add_child): its first publish is site-wide.
    if row is not None and row[0] is not None:
        instance.__dict__["_navigation_before"] = row[1:]


def on_page_deleting(sender, instance, **kwargs):
    from wagtail.models import Page

    if not isinstance(instance, Page) or type(instance) is not instance.specific_class:
        return  # the base Page row of a specific page, handled with the specific one
    changed_page(instance)


def on_site_wide_change(sender, **kwargs):
    bump(SITE_WIDE)


def connect_signals():
    """Invalidate on everything cached pages and API responses can show."""
    from django.db.models.signals import post_save, pre_delete, pre_save
    from taggit.models import Tag
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import PageViewRestriction, Site
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    ArticlePage, Author = news_model("ArticlePage"), news_model("Author")
    BreakingNews = news_model("BreakingNews")
    PictureRights = news_model("PictureRights")
    LivePost = news_model("LivePost")

    page_published.connect(on_page_changed, dispatch_uid="newsroom-cache-published")
    page_unpublished.connect(on_page_changed, dispatch_uid="newsroom-cache-unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="newsroom-cache-moved")
    page_slug_changed.connect(on_slug_changed, dispatch_uid="newsroom-cache-slug")
    pre_save.connect(on_article_saving, sender=ArticlePage, dispatch_uid="newsroom-cache-tags")
    for front in (news_model("SectionPage"), apps.get_model("home", "HomePage")):
        pre_save.connect(on_front_saving, sender=front, dispatch_uid=f"newsroom-cache-{front}")
    pre_delete.connect(on_page_deleting, weak=False, dispatch_uid="newsroom-cache-page-deleted")

    changes = {
        LivePost: lambda sender, instance, **kwargs: changed_live_post(instance),
        Author: lambda sender, instance, **kwargs: changed_author(instance),
        get_image_model(): lambda sender, instance, **kwargs: changed_image(instance),
        # A picture's rights: its licence shows with it, and a new expiry hides it.
        PictureRights: lambda sender, instance, **kwargs: changed_image(instance.image),
        Tag: lambda sender, instance, **kwargs: changed_tag(instance),
        # A document's address, in the links of the bodies stored (news/api/stored.py).
        get_document_model(): lambda sender, instance, **kwargs: changed_document(instance),
        # Publish, unpublish, scheduled go-live and expiry all save the banner.
        BreakingNews: lambda sender, instance, **kwargs: changed_banner(instance),
        # Privacy, addresses and redirects gate or shape every page.
        PageViewRestriction: on_site_wide_change,
        Site: on_site_wide_change,
        Redirect: on_site_wide_change,
    }
    for model, handler in changes.items():
        post_save.connect(handler, sender=model, weak=False, dispatch_uid=f"newsroom-cache-{model}")
        # Before the delete: the reference index still names the pages that show it.
        pre_delete.connect(
            handler, sender=model, weak=False, dispatch_uid=f"newsroom-cache-del-{model}"
        )
