"""Template tags for crawlers and aggregators: canonical links, share tags, JSON-LD, feeds."""

from django import template

from news.feeds import feed_links
from news.seo import (
    article_share_data,
    article_structured_data,
    breadcrumb_structured_data,
    json_ld,
    meta_description,
    page_url,
    site_name,
)

register = template.Library()


@register.simple_tag
def page_description(page):
    """The page's <meta name="description"> text (news/seo.py meta_description)."""
    return meta_description(page)


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


@register.inclusion_tag("includes/seo_section.html", takes_context=True)
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


@register.inclusion_tag("includes/seo_feeds.html", takes_context=True)
def site_feed_links(context):
    """<link rel="alternate"> to the whole paper's RSS and Atom feeds."""
    request = context.get("request")
    return {"feeds": feed_links(request) if request is not None else []}


@register.inclusion_tag("includes/seo_feeds.html", takes_context=True)
def tag_feed_links(context, tag_slug):
    """<link rel="alternate"> to one tag's RSS and Atom feeds."""
    return {"feeds": feed_links(context["request"], tag_slug=tag_slug)}
