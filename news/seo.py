"""What search engines and aggregators read about a page: full URLs, Open Graph and JSON-LD.

Full URLs are built on the host the request came to (Django's ALLOWED_HOSTS limits which),
so they are right on every deployment without editing the Wagtail Site record.
"""

import html
import json
import mimetypes

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from wagtail.models import Page, Site

from .models import ArticlePage, AuthorKind, LiveBlogPage, SectionPage
from .renditions import RENDITIONS

# The picture shown when a story is shared, in feeds and in structured data.
SHARE_IMAGE = RENDITIONS["large"]

# As Django's json_script: inside <script>, "</script>" or "<!--" must never appear verbatim.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def meta_description(page):
    """What <meta name="description"> says of a page (search engines show it under the link).

    The editor's search description wins; else an article's or live blog's standfirst, else
    its section's intro, else (an article) its opening words; a section's intro; the home
    page falls back to NEWS_SITE_DESCRIPTION. Empty for anything else.
    """
    if not isinstance(page, Page):
        return ""
    if page.search_description:
        return page.search_description
    if isinstance(page, ArticlePage | LiveBlogPage):
        section = page.section
        return (
            page.intro
            or (section.intro if isinstance(section, SectionPage) else "")
            or (page.teaser)
        )
    if isinstance(page, SectionPage):
        return page.intro
    # By label: home/ builds on news/, not the other way round (test_import_layers.py).
    if page._meta.label == "home.HomePage":
        return settings.NEWS_SITE_DESCRIPTION
    return ""


def site_name(request):
    """The paper's name: the Wagtail site's name, else WAGTAIL_SITE_NAME."""
    site = Site.find_for_request(request)
    return (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME


def absolute_url(request, url):
    """A path (or an already full URL) as a full URL on the request's scheme and host."""
    return request.build_absolute_uri(url)


def page_url(request, page):
    return absolute_url(request, page.get_url(request))


def share_image(article):
    """The lead image at SHARE_IMAGE size, or None (served from the listing prefetch if any)."""
    if article.lead_image is None:
        return None
    return article.lead_image.get_rendition(SHARE_IMAGE)


def image_mime_type(rendition):
    return mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg"


def iso(moment):
    return moment.isoformat() if moment else None


def json_ld(data):
    """`data` as JSON that is safe inside <script type="application/ld+json">."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(JSON_SCRIPT_ESCAPES))  # noqa: S308 - <, > and & are escaped


def author_data(author):
    """A byline as schema.org: an agency is an Organization, anyone else a Person."""
    kind = "Organization" if author.kind == AuthorKind.AGENCY else "Person"
    return {"@type": kind, "name": author.name}


def article_structured_data(request, article):
    """schema.org NewsArticle for an article page, e.g.
    {"@type": "NewsArticle", "headline": "Port strike ends", "datePublished": "2024-05-06T…",
     "author": [{"@type": "Organization", "name": "AFP"}], "publisher": {…}, "image": […],
     "correction": [{"@type": "CorrectionComment", "text": "…", "datePublished": "…"}]}.
    """
    url = page_url(request, article)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.teaser,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": iso(article.first_published_at),
        "dateModified": iso(article.last_published_at or article.first_published_at),
        "author": [author_data(author) for author in article.authors],
        "publisher": {
            "@type": "Organization",
            "name": site_name(request),
            "url": absolute_url(request, "/"),
        },
    }
    rendition = share_image(article)
    if rendition is not None:
        data["image"] = [
            {
                "@type": "ImageObject",
                "url": absolute_url(request, rendition.url),
                "width": rendition.width,
                "height": rendition.height,
            }
        ]
    if article.dateline:
        data["dateline"] = article.dateline
    if article.section is not None:
        data["articleSection"] = article.section.title
    tags = [tag.name for tag in article.tags.all()]
    if tags:
        data["keywords"] = tags
    corrections = [
        {"@type": "CorrectionComment", "text": note.text, "datePublished": iso(note.published_at)}
        for note in article.shown_corrections()
    ]
    if corrections:
        data["correction"] = corrections
    return data


def live_blog_structured_data(request, page, posts):
    """schema.org LiveBlogPosting for a live blog page with the posts it shows, e.g.
    {"@type": "LiveBlogPosting", "headline": "Election night", "coverageStartTime": "…",
     "liveBlogUpdate": [{"@type": "BlogPosting", "headline": "Polls close", …}]}.
    """
    url = page_url(request, page)
    data = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": page.title,
        "description": page.intro,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": iso(page.first_published_at),
        "dateModified": iso(page.last_published_at or page.first_published_at),
        "coverageStartTime": iso(page.coverage_start or page.first_published_at),
        "publisher": {
            "@type": "Organization",
            "name": site_name(request),
            "url": absolute_url(request, "/"),
        },
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "headline": post.headline or page.title,
                "url": f"{url}#post-{post.pk}",
                "datePublished": iso(post.posted_at),
                **({"dateModified": iso(post.corrected_at)} if post.corrected_at else {}),
                "articleBody": html.unescape(strip_tags(post.body)).strip(),
                **({"author": author_data(post.author)} if post.author else {}),
            }
            for post in posts
        ],
    }
    if page.coverage_end:
        data["coverageEndTime"] = iso(page.coverage_end)
    if page.lead_image is not None:
        rendition = page.lead_image.get_rendition(SHARE_IMAGE)
        data["image"] = [absolute_url(request, rendition.url)]
    return data


def breadcrumb_structured_data(request, page):
    """schema.org BreadcrumbList from the home page down to `page`, as the breadcrumb reads."""
    trail = [*page.get_ancestors().filter(depth__gt=1), page]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": "Home" if crumb.depth == 2 else crumb.title,
                "item": page_url(request, crumb),
            }
            for position, crumb in enumerate(trail, start=1)
        ],
    }


def article_share_data(request, article):
    """What the Open Graph and Twitter card tags of an article say."""
    rendition = share_image(article)
    image = None
    if rendition is not None:
        image = {
            "url": absolute_url(request, rendition.url),
            "width": rendition.width,
            "height": rendition.height,
            "type": image_mime_type(rendition),
            "alt": article.lead_image_alt_text,
        }
    return {
        "title": article.seo_title or article.title,
        "description": article.search_description or article.teaser,
        "url": page_url(request, article),
        "site_name": site_name(request),
        "image": image,
        "published": iso(article.first_published_at),
        "modified": iso(article.last_published_at or article.first_published_at),
        "section": article.section.title if article.section is not None else "",
        "tags": [tag.name for tag in article.tags.all()],
    }
