"""One set of XSS payloads, the fields they go into, and the check that a page left them inert.

Every payload carries MARKER, so a check can tell our payload from the page's own markup.
`editable_fields()` and `body_values()` find the fields by introspection: a new text field
on ArticlePage's panels, or a new StreamField block, is filled without a new test. A block
type it cannot fill fails `test_every_body_block_is_filled` until `block_value()` learns it.
"""

import html
import json
import re

from bs4 import BeautifulSoup
from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, PanelGroup
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models.panels import PanelPlaceholder

MARKER = "zqxss"
# A template engine that evaluates {{ }} turns this into "zqtpl49".
TEMPLATE_MARKER = "zqtpl49"

# Each kind of breakout, short enough for the shortest field (200 characters): markup,
# attribute breakouts, the end of a <script> (JSON-LD), event handlers, javascript: and
# data: URLs, and template syntax.
PAYLOADS = (
    f"<script>alert('{MARKER}')</script>",
    f'"><img src=x onerror=alert("{MARKER}")>',
    f"'><svg onload=alert('{MARKER}')>",
    f"</script><script>alert('{MARKER}')</script>",
    f"javascript:alert('{MARKER}')",
    "zqtpl{{7*7}}{% debug %}",
)
EVIL = "".join(PAYLOADS)
assert len(EVIL) < 200  # noqa: S101 - the payload must fit every field whole

# Rich text as an editor could paste it: the payloads typed as text, links with javascript:
# and data: targets, inline handlers and a script (well-formed:
# Draftail's converter asserts on unbalanced tags, see the README's security section).
EVIL_LINKS = (
    f"javascript:alert('{MARKER}')",
    f"data:text/html,<script>alert('{MARKER}')</script>",
    f"JaVaScRiPt:alert('{MARKER}')",
)
EVIL_RICH_TEXT = (
    f"<p>{html.escape(EVIL)}</p>"
    f"<script>alert('{MARKER}')</script>"
    f'<p><a href="https://example.com/" onmouseover="alert(\'{MARKER}\')">hover</a></p>'
    + "".join(f'<p><a href="{href}">link {MARKER}</a></p>' for href in EVIL_LINKS)
    + f"<p onclick=\"alert('{MARKER}')\"><b>bold {MARKER}</b></p>"
)

DANGEROUS_URL = re.compile(r"^\s*(javascript|data|vbscript):", re.IGNORECASE)
JSON_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def truncate(value, field_or_block):
    limit = getattr(field_or_block, "max_length", None) or getattr(
        getattr(field_or_block, "meta", None), "max_length", None
    )
    return value[:limit] if limit else value


def panel_field_names(panels):
    """Field and relation names of a panel list, through groups (MultiFieldPanel, tabs…)."""
    for panel in panels:
        if isinstance(panel, PanelPlaceholder):  # Page's own panels, built on first use
            panel = panel.construct()
        if isinstance(panel, str):  # Wagtail accepts a field name for a FieldPanel
            yield panel
        elif isinstance(panel, PanelGroup):
            yield from panel_field_names(panel.children)
        elif isinstance(panel, InlinePanel):
            yield panel.relation_name
        elif isinstance(panel, FieldPanel):
            yield panel.field_name


def editable_fields(model, panels=None):
    """The plain-text fields an editor fills on `model`'s panels (title included)."""
    if panels is None:
        if hasattr(model, "content_panels"):
            panels = [*model.content_panels, *getattr(model, "promote_panels", [])]
        else:
            panels = model.panels
    for name in panel_field_names(panels):
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: S112 - relations and tags are filled apart
            continue
        text = isinstance(field, (models.CharField, models.TextField)) and not field.choices
        if text and name != "slug":
            yield field


def to_editor_rich_text(html, features):
    """`html` as the rich text editor would save it: through Draftail's converter."""
    converter = ContentstateConverter(features=features)
    return converter.to_database_format(converter.from_database_format(html))


class UnknownBlock(TypeError):
    """A StreamField block type the payload set cannot fill: teach block_value() about it."""


def block_value(block, image_id, embed_url):
    """The raw (JSON) value of `block` with the payload in every text it holds."""
    if isinstance(block, blocks.RichTextBlock):
        return to_editor_rich_text(EVIL_RICH_TEXT, block.features)
    if isinstance(block, ImageChooserBlock):
        return image_id
    if isinstance(block, EmbedBlock):
        return embed_url
    if isinstance(block, blocks.StructBlock):
        return {
            name: block_value(child, image_id, embed_url)
            for name, child in block.child_blocks.items()
        }
    if isinstance(block, blocks.FieldBlock):
        # CharBlock, TextBlock and their subclasses (HeadingBlock…): plain text.
        return truncate(EVIL, block.field)
    raise UnknownBlock(f"{type(block).__name__}: no payload for this block type")


def body_values(stream_block, image_id, embed_url):
    """A raw StreamField value with one block of every child type, each full of payload."""
    return [
        {"type": name, "value": block_value(child, image_id, embed_url)}
        for name, child in stream_block.child_blocks.items()
    ]


def problems_in_html(html, allow_own_scripts=False):
    """Why `html` is not inert: scripts, handlers or URLs of ours that a browser would run."""
    soup = BeautifulSoup(html, "html.parser")
    problems = []
    for script in soup.find_all("script"):
        kind = (script.get("type") or "").lower()
        text = script.string or ""
        if kind in JSON_SCRIPT_TYPES:
            if kind == "application/ld+json":
                try:
                    json.loads(text)
                except ValueError as error:
                    problems.append(f"JSON-LD does not parse: {error}: {text[:120]}")
            continue
        if MARKER in text or (not allow_own_scripts and not script.get("src")):
            problems.append(f"script: {str(script)[:160]}")
    for element in soup.find_all(True):
        for attribute, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if attribute.lower().startswith("on") and MARKER in value:
                problems.append(f"handler {attribute}: {str(element)[:160]}")
            if DANGEROUS_URL.match(value or "") and MARKER in value:
                problems.append(f"URL in {attribute}: {str(element)[:160]}")
        if element.name.lower() in ("svg", "iframe", "object", "embed") and MARKER in str(element):
            problems.append(f"element {element.name}: {str(element)[:160]}")
    if TEMPLATE_MARKER in html:
        problems.append("template syntax was evaluated")
    return problems


def rich_text_values(data):
    """Every markup value in an API document: rich text paragraphs and embed HTML."""
    if isinstance(data, dict):
        if data.get("type") == "paragraph" and isinstance(data.get("value"), str):
            yield data["value"]
        if isinstance(data.get("html"), str):
            yield data["html"]
        for value in data.values():
            yield from rich_text_values(value)
    elif isinstance(data, list):
        for value in data:
            yield from rich_text_values(value)
