"""StreamField blocks of an article body; their templates live in templates/news/blocks/."""

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

# Rich text an editor may use in a paragraph. Everything else is stripped on save by
# Wagtail's whitelist, which is what keeps pasted markup out of our pages.
PARAGRAPH_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]


class HeadingBlock(blocks.CharBlock):
    """A subheading inside the story; its value is plain text."""

    class Meta:
        icon = "title"
        form_classname = "title"
        template = "news/blocks/heading.html"
        max_length = 200


class CaptionedImageBlock(blocks.StructBlock):
    """An image in the story with its caption, credit and alt text."""

    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=500)
    credit = blocks.CharBlock(required=False, max_length=200, help_text='e.g. "AFP photo".')
    alt = blocks.CharBlock(
        required=False,
        max_length=250,
        label="Alt text",
        help_text="Describe the picture for readers who cannot see it. "
        "Leave empty to use the image's own description.",
    )

    class Meta:
        icon = "image"
        template = "news/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    """A pull quote with who said it."""

    quote = blocks.TextBlock(max_length=1000)
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "news/blocks/quote.html"


class ArticleBodyBlock(blocks.StreamBlock):
    """The body of an article. Child names are stored in the database: rename with a migration."""

    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES, template="news/blocks/paragraph.html"
    )
    heading = HeadingBlock()
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    embed = EmbedBlock(
        help_text="A link to a video or social post, e.g. a YouTube URL.",
        template="news/blocks/embed.html",
        icon="media",
    )
