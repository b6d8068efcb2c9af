"""Template tags for reader pages: responsive images, section navigation and the article body."""

import re

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from wagtail.models import Site

from news.models import SectionPage, banner_as_shown
from news.renditions import MODERN_FORMATS, SRCSET_SIZES, renditions_of

register = template.Library()

FIRST_PARAGRAPH = re.compile(r"<p\b[^>]*>")


def srcset_of(renditions):
    """Width descriptors for several renditions; a single one is its bare URL."""
    renditions = list(renditions)
    if len(renditions) == 1:
        return renditions[0].url
    return ", ".join(f"{rendition.url} {rendition.width}w" for rendition in renditions)


def sizes_attribute(sizes):
    return format_html(' sizes="{}"', sizes) if sizes else ""


def picture_html(image, names, *, alt, sizes, css_class, priority):
    """A <picture>: one <source> per modern format, then an <img> in the sizes' own format.

    A priority picture (the page's largest, its LCP element) loads at once and before other
    pictures; every other one loads lazily. Width and height are always set, so the page
    does not shift as pictures arrive.
    """
    by_size = renditions_of(image, *names)
    default = by_size[names[len(names) // 2]][None]
    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}"{}>',
        (
            (
                mime_type,
                srcset_of(by_size[name][image_format] for name in names),
                sizes_attribute(sizes),
            )
            for image_format, mime_type in MODERN_FORMATS.items()
        ),
    )
    loading = 'fetchpriority="high"' if priority else 'loading="lazy" decoding="async"'
    return format_html(
        '<picture>{}<img src="{}" srcset="{}"{} width="{}" height="{}" alt="{}"{} {}></picture>',
        sources,
        default.url,
        srcset_of(by_size[name][None] for name in names),
        sizes_attribute(sizes),
        default.width,
        default.height,
        alt,
        format_html(' class="{}"', css_class) if css_class else "",
        mark_safe(loading),  # noqa: S308 - one of two constant strings
    )


@register.simple_tag
def responsive_image(image, alt="", sizes="100vw", css_class="", priority=False):
    """A <picture> offering the named widths in `srcset`, in AVIF, WebP and the image's own
    format; empty when there is no image. `priority=True` for the page's lead picture."""
    if image is None:
        return ""
    return picture_html(
        image, SRCSET_SIZES, alt=alt, sizes=sizes, css_class=css_class, priority=priority
    )


@register.simple_tag
def thumbnail(image, alt="", css_class="thumbnail"):
    """The listing-size crop of an image as a lazy <picture>; empty when there is no image."""
    if image is None:
        return ""
    return picture_html(
        image, ("thumbnail",), alt=alt, sizes="", css_class=css_class, priority=False
    )


@register.simple_tag
def preload_image(image, sizes="100vw"):
    """<link rel="preload"> for a priority picture's best format, so the browser fetches it
    before it has read the page's CSS and layout. Browsers that cannot show that format skip
    the link (its `type`) and find the picture's fallback in the page as usual."""
    if image is None:
        return ""
    image_format, mime_type = next(iter(MODERN_FORMATS.items()))
    by_size = renditions_of(image, *SRCSET_SIZES)
    return format_html(
        '<link rel="preload" as="image" type="{}" imagesrcset="{}" imagesizes="{}" '
        'fetchpriority="high">',
        mime_type,
        srcset_of(by_size[name][image_format] for name in SRCSET_SIZES),
        sizes,
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
