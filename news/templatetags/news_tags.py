"""Template tags for reader pages: responsive images, section navigation and the article body."""

import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.models import Site

from news.models import SectionPage, banner_as_shown
from news.renditions import RENDITIONS, SRCSET_SIZES, rendition_filter, rendition_filters

register = template.Library()

FIRST_PARAGRAPH = re.compile(r"<p\b[^>]*>")


@register.simple_tag
def responsive_image(image, alt="", sizes="100vw", css_class="", loading="lazy"):
    """An <img> offering the named widths in `srcset`; empty when there is no image."""
    if image is None:
        return ""
    renditions = image.get_renditions(*rendition_filters(*SRCSET_SIZES))
    by_size = [renditions[RENDITIONS[name]] for name in SRCSET_SIZES]
    default = by_size[len(by_size) // 2]
    srcset = ", ".join(f"{rendition.url} {rendition.width}w" for rendition in by_size)
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" class="{}" '
        'loading="{}" decoding="async">',
        default.url,
        srcset,
        sizes,
        default.width,
        default.height,
        alt,
        css_class,
        loading,
    )


@register.simple_tag
def thumbnail(image, alt="", css_class="thumbnail"):
    """The listing-size crop of an image; empty when there is no image."""
    if image is None:
        return ""
    rendition = image.get_rendition(rendition_filter("thumbnail"))
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" class="{}" loading="lazy" decoding="async">',
        rendition.url,
        rendition.width,
        rendition.height,
        alt,
        css_class,
    )


@register.simple_tag(takes_context=True)
def site_sections(context):
    """The live, public sections under the current site's home page, in tree order."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return SectionPage.objects.none()
    return SectionPage.objects.live().public().child_of(site.root_page).order_by("path")


def lead_with_dateline(rendered, dateline):
    """Put the dateline at the start of the first paragraph, as papers print it."""
    prefix = format_html('<span class="dateline">{} —</span> ', dateline)
    if FIRST_PARAGRAPH.search(rendered):
        return FIRST_PARAGRAPH.sub(lambda match: match.group(0) + prefix, rendered, count=1)
    return format_html("<p>{}</p>", prefix) + rendered


@register.simple_tag(takes_context=True)
def article_body(context, page):
    """Every block of the body through its template, the dateline leading the first paragraph."""
    dateline = page.dateline
    parts = []
    for block in page.body:
        rendered = block.render(context=context.flatten())
        if dateline and block.block_type == "paragraph":
            rendered = lead_with_dateline(rendered, dateline)
            dateline = ""
        parts.append(rendered)
    if dateline:
        parts.insert(0, format_html('<p><span class="dateline">{}</span></p>', dateline))
    return mark_safe("".join(parts))  # noqa: S308 - every part was escaped by its own template


@register.inclusion_tag("includes/breaking_news.html")
def breaking_news():
    """The breaking-news banner, while one is published and unexpired (news/models/banner.py)."""
    banner, article = banner_as_shown()
    return {"banner": banner, "banner_article": article}
