"""Template tags for crawlers and aggregators: canonical links, share tags, JSON-LD, feeds."""

from django import template
from django.urls import reverse

from news.feeds import feed_links
from news.seo import (
    absolute_url,
    article_share_data,
    article_structured_data,
    breadcrumb_structured_data,
    json_ld,
    live_blog_structured_data,
    meta_description,
    page_url,
    site_name,
)
from news.tags import tag_url

register = template.Library()


@register.simple_tag
def page_description(page):
    """The page's <meta name="description"> text (news/seo.py meta_description)."""
    return meta_description(page)


@register.simple_tag(takes_context=True)
def full_url(context, name, *args):
    """The full URL of a named route on the request's host, say for a canonical link."""
    return absolute_url(context["request"], reverse(name, args=args))


@register.inclusion_tag("includes/seo_article.html", takes_context=True)
def article_seo(context, page):
    """Canonical link, Open Graph and Twitter tags, NewsArticle and BreadcrumbList JSON-LD."""
    request = context["request"]
    return {
        "share": article_share_data(request, page),
        "structured_data": [
            json_ld(article_structured_data(request, page)),
            json_ld(breadcrumb_structured_data(request, page)),
        ],
        "feeds": feed_links(request, section=page.section) if page.section else [],
    }


@register.inclusion_tag("includes/seo_page.html", takes_context=True)
def live_blog_seo(context, page, posts):
    """Canonical link, LiveBlogPosting (with the posts shown) and BreadcrumbList JSON-LD, and
    the feed of its key events."""
    request = context["request"]
    name = site_name(request)
    return {
        "canonical": page_url(request, page),
        "site_name": name,
        "title": page.seo_title or page.title,
        "description": page.search_description or page.intro,
        "structured_data": [
            json_ld(live_blog_structured_data(request, page, posts)),
            json_ld(breadcrumb_structured_data(request, page)),
        ],
        "feeds": [
            (f"{name}: {page.title} ({label})", mime_type, absolute_url(request, url))
            for label, mime_type, url in (
                ("RSS", "application/rss+xml", reverse("feeds:live-rss", args=[page.pk])),
                ("Atom", "application/atom+xml", reverse("feeds:live-atom", args=[page.pk])),
            )
        ],
    }


@register.inclusion_tag("includes/seo_page.html", takes_context=True)
def section_seo(context, page, listing=None):
    """Canonical link (with the page number past the first), share tags, BreadcrumbList, feeds."""
    request = context["request"]
    canonical = page_url(request, page)
    if listing is not None and listing.number > 1:
        canonical = f"{canonical}?page={listing.number}"
    return {
        "canonical": canonical,
        "title": page.seo_title or page.title,
        "description": page.search_description or page.intro,
        "site_name": site_name(request),
        "structured_data": [json_ld(breadcrumb_structured_data(request, page))],
        "feeds": feed_links(request, section=page),
    }


@register.inclusion_tag("includes/seo_page.html", takes_context=True)
def tag_seo(context, tag, listing, description):
    """A tag page's canonical link (its own page number past the first), share tags, feeds."""
    request = context["request"]
    return {
        "canonical": absolute_url(request, tag_url(tag.slug, listing.number)),
        "title": f"Stories about {tag.name}",
        "description": description,
        "site_name": site_name(request),
        "structured_data": [],
        "feeds": feed_links(request, tag_slug=tag.slug),
    }


@register.inclusion_tag("includes/seo_feeds.html", takes_context=True)
def site_feed_links(context):
    """<link rel="alternate"> to the whole paper's RSS and Atom feeds."""
    request = context.get("request")
    return {"feeds": feed_links(request) if request is not None else []}


@register.inclusion_tag("includes/seo_feeds.html", takes_context=True)
def tag_feed_links(context, tag_slug):
    """<link rel="alternate"> to one tag's RSS and Atom feeds."""
    return {"feeds": feed_links(context["request"], tag_slug=tag_slug)}


@register.inclusion_tag("includes/seo_feeds.html", takes_context=True)
def corrections_feed_links(context):
    """<link rel="alternate"> to the corrections page's RSS and Atom feeds."""
    return {"feeds": feed_links(context["request"], corrections=True)}
