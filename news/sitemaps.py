"""Sitemaps for crawlers: every live page and tag page, Google News (the last 48 hours),
robots.txt."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Site

from cms.caching import answers, shows

from .dependencies import FRONTS, STORIES, tag_key
from .models import ArticlePage
from .seo import absolute_url, page_url, site_name
from .tags import live_tags, tag_url

# Google News reads only stories from the last two days, and at most 1000 of them.
NEWS_SITEMAP_AGE = timedelta(hours=48)
NEWS_SITEMAP_LIMIT = 1000


class OnRequestHost:
    """Puts a sitemap's addresses on the request's scheme and host."""

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            url["location"] = absolute_url(self.request, urlsplit(url["location"]).path)
        return urls


class PageSitemap(OnRequestHost, Sitemap):
    """Wagtail's sitemap of the request's site (live, public pages)."""


class TagSitemap(OnRequestHost, DjangoSitemap):
    """The tag pages (news/tags.py) with a live, public story on the request's site, each
    last modified when its newest story was last published."""

    def __init__(self, request):
        self.request = request

    def items(self):
        site = Site.find_for_request(self.request)
        tags = list(live_tags(site)) if site is not None else []
        # Which tags have a story changes with a story's publish or unpublish (STORIES); a
        # tag's own change (its slug is its page's address) bumps its tag key.
        shows(*(tag_key(tag.pk) for tag in tags))
        return tags

    def location(self, tag):
        return tag_url(tag.slug)

    def lastmod(self, tag):
        return tag.latest


def sitemap(request):
    """/sitemap.xml"""
    answers(STORIES, FRONTS)  # and the sections and home page, which are the site's
    return wagtail_sitemap(request, sitemaps={"pages": PageSitemap, "tags": TagSitemap(request)})


def news_language():
    """The ISO 639 code Google News wants: "en" for LANGUAGE_CODE "en-us" (but "zh-cn" stays)."""
    code = settings.LANGUAGE_CODE.lower()
    return code if code in ("zh-cn", "zh-tw") else code.split("-")[0]


def news_sitemap(request):
    """/sitemap-news.xml: the live, public stories first published in the last 48 hours."""
    site = Site.find_for_request(request)
    answers(STORIES)
    articles = []
    if site is not None:
        articles = (
            ArticlePage.objects.live()
            .public()
            .descendant_of(site.root_page)
            .filter(first_published_at__gte=timezone.now() - NEWS_SITEMAP_AGE)
            .defer_streamfields()
            .newest_first()[:NEWS_SITEMAP_LIMIT]
        )
    return TemplateResponse(
        request,
        "news/sitemap_news.xml",
        {
            "entries": [(page_url(request, article), article) for article in articles],
            "publication_name": site_name(request),
            "language": news_language(),
        },
        content_type="application/xml; charset=utf-8",
    )


def robots_txt(request):
    """/robots.txt: crawl the stories, not the admin or search results; here are the sitemaps.

    The search form (/search/) may be crawled; its results (/search/?…, noindex too) may not:
    an endless space of pages that copy the stories (search/views.py)."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        f"Disallow: {reverse('search')}?",
        "",
        f"Sitemap: {absolute_url(request, reverse('sitemap'))}",
        f"Sitemap: {absolute_url(request, reverse('news-sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
