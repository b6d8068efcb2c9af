"""StreamField blocks of an article body; their templates live in templates/news/blocks/."""

from contextvars import ContextVar

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from .renditions import image_representation, rendition_specs

# Rich text an editor may use in a paragraph. Everything else is stripped on save by
# Wagtail's whitelist, which is what keeps pasted markup out of our pages.
PARAGRAPH_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]


EXPIRED_PICTURE_MESSAGE = (
    "The rights to this picture have expired: it can no longer be used. Choose another."
)


# Images already fetched (with renditions) for a whole page of API results; see
# news.models.APIIterable. Outside that scope the chooser fetches its own.
preloaded_images = ContextVar("preloaded_images", default=None)


class PreloadableImageChooserBlock(ImageChooserBlock):
    """An image chooser that takes its images, with renditions, from a batch preload if any."""

    def bulk_to_python(self, values):
        preloaded = preloaded_images.get()
        if preloaded is None:
            # Renditions come along, so rendering the story needs no query per picture.
            images = self.model_class.objects.select_related("rights").prefetch_renditions(
                *rendition_specs()
            )
            preloaded = images.in_bulk([value for value in values if value is not None])
        return [preloaded.get(value) for value in values]


class HeadingBlock(blocks.CharBlock):
    """A subheading inside the story; its value is plain text."""

    class Meta:
        icon = "title"
        form_classname = "title"
        template = "news/blocks/heading.html"
        max_length = 200


class CaptionedImageBlock(blocks.StructBlock):
    """An image in the story with its caption, credit and alt text."""

    image = PreloadableImageChooserBlock()
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

    @staticmethod
    def shown_image(value):
        """The block's picture if readers may see it (rights not expired), else None."""
        from .picture_rights import shown_picture

        return shown_picture(value["image"])

    def render(self, value, context=None):
        # A picture whose rights expired leaves nothing, not even its caption.
        if self.shown_image(value) is None:
            return ""
        return super().render(value, context)

    def get_api_representation(self, value, context=None):
        """The image object of an article's `lead_image`, with this block's caption and credit
        (null if the picture was deleted or its rights expired)."""
        image = self.shown_image(value)
        if image is None:
            return None
        return image_representation(
            image, alt=value["alt"], caption=value["caption"], credit=value["credit"]
        )

    def clean(self, value):
        from django.core.exceptions import ValidationError

        from .picture_rights import is_expired_picture

        value = super().clean(value)
        if is_expired_picture(value["image"]):
            raise blocks.StructBlockValidationError(
                block_errors={"image": ValidationError(EXPIRED_PICTURE_MESSAGE)}
            )
        return value


class QuoteBlock(blocks.StructBlock):
    """A pull quote with who said it."""

    quote = blocks.TextBlock(max_length=1000)
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "news/blocks/quote.html"


class ArticleEmbedBlock(EmbedBlock):
    """A video or social post by URL; the API gives its URL and the provider's HTML."""

    def get_api_representation(self, value, context=None):
        if value is None:
            return None
        return {"url": value.url, "html": str(value.html)}


class ArticleBodyBlock(blocks.StreamBlock):
    """The body of an article. Child names are stored in the database: rename with a migration."""

    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES, template="news/blocks/paragraph.html"
    )
    heading = HeadingBlock()
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    embed = ArticleEmbedBlock(
        help_text="A link to a video or social post, e.g. a YouTube URL.",
        template="news/blocks/embed.html",
        icon="media",
    )
