"""Agency body copy (HTML, XHTML, NITF or plain text) as article body blocks, sanitised."""

# The stored rich text is exactly what the paragraph block's editor would accept: hostile
# content is dropped with what it holds (scripts, styles, frames, forms, media), then
# Wagtail's own whitelist for the paragraph's features (news/blocks.py PARAGRAPH_FEATURES)
# keeps only their tags and safe link schemes, and a round trip through the Draftail
# converter normalises the result to what Draftail itself saves. Headings and block quotes
# become `heading` and `quote` blocks; pictures inside the copy are not fetched.

import html
import re
import warnings

from bs4 import BeautifulSoup, NavigableString, Tag, XMLParsedAsHTMLWarning
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.rich_text import RichText
from wagtail.whitelist import check_url

from news.blocks import PARAGRAPH_FEATURES

#: Removed with everything inside them.
DROPPED = [
    "applet",
    "audio",
    "base",
    "button",
    "canvas",
    "embed",
    "figure",
    "form",
    "frame",
    "frameset",
    "head",
    "iframe",
    "img",
    "input",
    "link",
    "map",
    "math",
    "meta",
    "noscript",
    "object",
    "picture",
    "script",
    "select",
    "style",
    "svg",
    "template",
    "textarea",
    "title",
    "video",
]
#: Wrappers whose children are read as if they stood at the top level.
CONTAINERS = ["article", "aside", "block", "body", "div", "header", "html", "main", "section"]
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
#: Top-level elements that become part of a paragraph block as they are (after cleaning).
FLOW = {"p", "ul", "ol", "dl", "pre", "table", "address", "center", "footer", "nav"}
LINK_SCHEMES = ("http://", "https://", "mailto:")
HEADING_MAX = 200  # news.blocks.HeadingBlock
QUOTE_MAX = 1000  # news.blocks.QuoteBlock
ATTRIBUTION_MAX = 200


def plain_text(value):
    """Text without markup or runs of spaces, e.g. "<b>Dam</b>  holds" → "Dam holds"."""
    soup = BeautifulSoup(value or "", "html.parser")
    for tag in soup.find_all(["script", "style", "template"]):
        tag.decompose()
    text = soup.get_text(" ")
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def text_to_html(text):
    """Plain text as paragraphs, split at blank lines (at single newlines if it has none)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    parts = re.split(r"\n\s*\n", text)
    if len(parts) == 1:
        parts = text.split("\n")
    return "".join(
        f"<p>{html.escape(' '.join(part.split()))}</p>" for part in parts if part.strip()
    )


def nitf_to_html(nitf):
    """The story inside a NITF document (its <body.content>), or "" when it has none."""
    with warnings.catch_warnings():
        # NITF is XML; the HTML parser reads its body fine, and lxml is not a dependency.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(nitf or "", "html.parser")
    content = soup.find("body.content")
    return content.decode_contents() if content is not None else ""


class BodyConverter:
    """Turns agency HTML into [(block type, value)] for ArticlePage.body; see body_blocks()."""

    def __init__(self):
        self.editor_html = EditorHTMLConverter(features=PARAGRAPH_FEATURES)
        self.contentstate = ContentstateConverter(features=PARAGRAPH_FEATURES)
        self.dropped_pictures = 0

    def clean_rich_text(self, markup):
        """Rich text in the database format, holding only what the paragraph editor allows."""
        soup = BeautifulSoup(markup, "html.parser")
        for tag in soup.find_all(True):
            # data-linktype / data-embedtype would let the copy point at our pages and files.
            for name in [name for name in tag.attrs if name.startswith("data-")]:
                del tag[name]
            if tag.name == "a":
                href = (tag.get("href") or "").strip()
                if not (href.lower().startswith(LINK_SCHEMES) and check_url(href)):
                    tag.unwrap()
        whitelisted = self.editor_html.to_database_format(str(soup))
        contentstate = self.contentstate.from_database_format(whitelisted)
        return self.contentstate.to_database_format(contentstate)

    def blocks(self, markup):
        soup = BeautifulSoup(markup or "", "html.parser")
        for tag in soup.find_all(DROPPED):
            if tag.name in ("img", "picture", "figure"):
                self.dropped_pictures += 1
            tag.decompose()
        for tag in soup.find_all(CONTAINERS):
            tag.unwrap()

        blocks = []
        pending = []  # the markup of the paragraph block being gathered
        inline = []  # loose text and inline tags, wrapped in a <p> when a block starts

        def close_inline():
            markup = "".join(inline)
            if markup.strip():
                pending.append(f"<p>{markup}</p>")
            inline.clear()

        def close_paragraph():
            close_inline()
            if pending:
                rich_text = self.clean_rich_text("".join(pending))
                if plain_text(rich_text):
                    blocks.append(("paragraph", RichText(rich_text)))
                pending.clear()

        for node in list(soup.contents):
            if isinstance(node, NavigableString):
                if type(node) is NavigableString:  # not a comment, CDATA or declaration
                    inline.append(html.escape(str(node)))
                continue
            if not isinstance(node, Tag):
                continue
            if node.name in HEADINGS:
                close_paragraph()
                if text := plain_text(node.decode_contents()):
                    blocks.append(("heading", text[:HEADING_MAX]))
            elif node.name == "blockquote":
                close_paragraph()
                blocks.extend(self.quote(node))
            elif node.name == "hr":
                close_paragraph()
            elif node.name in FLOW:
                close_inline()
                pending.append(str(node))
            else:
                inline.append(str(node))
        close_paragraph()
        return blocks

    def quote(self, node):
        attribution = ""
        for cite in node.find_all(["cite", "footer"]):
            attribution = attribution or plain_text(cite.decode_contents())
            cite.decompose()
        text = plain_text(node.decode_contents())
        if not text:
            return []
        return [
            ("quote", {"quote": text[:QUOTE_MAX], "attribution": attribution[:ATTRIBUTION_MAX]})
        ]


def body_blocks(markup):
    """Body blocks from agency HTML, and how many pictures inside it were left out.

    >>> body_blocks("<h2>Why</h2><p>Because <script>x()</script>it <b>rained</b>.</p>")
    ([("heading", "Why"), ("paragraph", RichText("<p>Because it <b>rained</b>.</p>"))], 0)
    """
    converter = BodyConverter()
    blocks = converter.blocks(markup)
    return blocks, converter.dropped_pictures
