"""The public URLs that show a page, for the CDN purge after it changes (Wagtail's frontend cache).

An article shows on its own page, its section's listing, the home page, the feeds (site,
section and each of its tags), the sitemaps, the API (detail and list) and beside other
articles as a related article. Each of those URLs is purged. Two kinds of copies are left
to expire on their own after `NEWS_CACHE_MAX_AGE`: deeper listing pages whose stories all
shift by one, and articles that show it only as "newest of the section" (potentially the
whole section); the server-side cache never serves either stale (cms/caching.py).
"""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

API_LIST_PATHS = ("/api/v2/pages/", "/api/v2/pages/?type=news.ArticlePage", "/api/v3/pages/")
FEED_KINDS = ("rss", "atom")


def site_paths():
    """What any change shows on: the home page, the site feeds, the sitemaps, the API lists."""
    return {
        "/",
        *(reverse(f"feeds:{kind}") for kind in FEED_KINDS),
        reverse("sitemap"),
        reverse("news-sitemap"),
        *API_LIST_PATHS,
    }


def api_detail_paths(page):
    return {f"/api/v2/pages/{page.pk}/", f"/api/v3/pages/{page.pk}/"}


def feed_paths(prefix, slug):
    return {reverse(f"feeds:{prefix}-{kind}", args=[slug]) for kind in FEED_KINDS}


def section_urls(section, article=None):
    """A section's page and feeds; with an article, also the listing page that shows it."""
    url = section.get_full_url()
    if url is None:
        return set(), set()
    urls = {url}
    if article is not None and article.first_published_at is not None:
        from news.models import ArticlePage

        newer = (
            ArticlePage.objects.live()
            .public()
            .in_section(section)
            .filter(
                Q(first_published_at__gt=article.first_published_at)
                | Q(first_published_at=article.first_published_at, pk__gt=article.pk)
            )
            .count()
        )
        listing_page = newer // settings.NEWS_ARTICLES_PER_PAGE + 1
        if listing_page > 1:
            urls.add(f"{url}?page={listing_page}")
    return urls, feed_paths("section", section.slug)


def neighbours_of(article):
    """Live articles that show `article` as related: those that picked it, and its own
    related articles (sharing a tag or the section, they usually show it back)."""
    from news.models import ArticlePage

    picked_by = ArticlePage.objects.live().public().filter(related_links__article=article)
    return {*picked_by, *article.get_related_articles()}


def urls_showing(page, *, parent_before=None):
    """The absolute URLs of everything that shows `page` (before a move: also its old place)."""
    from news.models import ArticlePage, SectionPage

    site = page.get_site()
    if site is None:
        return set()
    root = site.root_url.rstrip("/")
    page = page.specific
    urls = set()
    paths = site_paths() | api_detail_paths(page)
    if (page_url := page.get_full_url()) is not None:
        urls.add(page_url)

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
            paths |= feed_paths("tag", tag.slug)
        for neighbour in neighbours_of(page):
            if (neighbour_url := neighbour.get_full_url()) is not None:
                urls.add(neighbour_url)
            paths |= api_detail_paths(neighbour)

    return urls | {f"{root}{path}" for path in paths}
